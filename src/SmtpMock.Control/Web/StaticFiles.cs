using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SmtpMock.Control.Web;

/// <summary>The web page: a few files embedded in this assembly (no CDN, nothing fetched from the internet).</summary>
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
            var bytes = copy.ToArray();
            var name = resource["wwwroot/".Length..];
            var type = Types.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            var handler = new RequestDelegate(context =>
            {
                context.Response.ContentType = type;
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.ContentLength = bytes.Length;
                return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
            });
            app.MapGet("/" + name, handler).WithMetadata(Hosting.OpenEndpoint.Instance);
            if (name == "index.html")
            {
                app.MapGet("/", handler).WithMetadata(Hosting.OpenEndpoint.Instance);
            }
        }
    }
}
