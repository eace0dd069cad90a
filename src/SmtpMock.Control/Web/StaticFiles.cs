using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SmtpMock.Control.Web;

/// <summary>
/// The web page: a few files embedded in this assembly (no CDN, nothing fetched from the internet). Each is served
/// with a strong ETag (a hash of its bytes) and <c>no-cache</c>: a browser asks again on every load and gets a 304
/// without the body while the file is the one it has, and the new file at once after an upgrade.
/// </summary>
internal static class StaticFiles
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static void Map(WebApplication app)
    {
        var assembly = typeof(StaticFiles).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = new PageFile(copy.ToArray(), Types.GetValueOrDefault(Path.GetExtension(resource), "application/octet-stream"));
            var name = resource["wwwroot/".Length..];
            app.MapGet("/" + name, file.Serve).WithMetadata(Hosting.OpenEndpoint.Instance);
            if (name == "index.html")
            {
                app.MapGet("/", file.Serve).WithMetadata(Hosting.OpenEndpoint.Instance);
            }
        }
    }

    /// <summary>One file of the page; the framework's file result answers If-None-Match with 304.</summary>
    private sealed class PageFile(byte[] bytes, string type)
    {
        private readonly EntityTagHeaderValue _tag = new($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16))}\"");

        public IResult Serve(HttpResponse response)
        {
            response.Headers.CacheControl = "no-cache";
            return TypedResults.Bytes(bytes, type, entityTag: _tag);
        }
    }
}
