using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Api;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// <c>GET /api/v1/messages/{id}/mime/part/{n}/download</c>: the nth of the message's top-level <c>MIME.Parts</c>
/// (0-based, MailHog's pieces, the closing <c>--</c> one included), its headers copied to the response, its body
/// base64-decoded when it says base64, as MailHog does. And 501 for what MailHog has and SmtpMock does not.
/// </summary>
internal sealed class MailHogPartsApi(SmtpMockServer server)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/messages/{id}/mime/part/{n}/download", new RequestDelegate(DownloadAsync));
        app.MapGet("/api/v2/outgoing-smtp", new RequestDelegate(context => NotImplemented(context, "saved outgoing SMTP servers (MailHog's -outgoing-smtp): a release goes to --relay")));
        app.MapGet("/api/v2/websocket", new RequestDelegate(context => NotImplemented(context, "MailHog's web UI websocket: use /api/v1/events (EventSource) on this port, or SmtpMock's own page")));
    }

    private async Task DownloadAsync(HttpContext context)
    {
        var id = Http.Route(context, "id")!;
        if (await server.Messages.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } message)
        {
            await Http.NotFound(context, $"no kept message has the id {id}").ConfigureAwait(false);
            return;
        }

        var parts = MailHogMessages.From(message, server.Options.Hostname).MIME?.Parts ?? [];
        if (!int.TryParse(Http.Route(context, "n"), out var n) || n < 0 || n >= parts.Count)
        {
            await Http.NotFound(context, $"message {id} has {parts.Count} MIME parts (0 to {parts.Count - 1}), not '{Http.Route(context, "n")}'").ConfigureAwait(false);
            return;
        }

        var part = parts[n];
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{id}-part-{n}\"";
        foreach (var (name, values) in part.Headers)
        {
            context.Response.Headers[name] = values.ToArray();
        }

        var base64 = part.Headers.TryGetValue("Content-Transfer-Encoding", out var encoding) && encoding[0].Trim().Equals("base64", StringComparison.OrdinalIgnoreCase);
        byte[] body;
        try
        {
            body = base64 ? Convert.FromBase64String(part.Body) : System.Text.Encoding.UTF8.GetBytes(part.Body);
        }
        catch (FormatException)
        {
            body = System.Text.Encoding.UTF8.GetBytes(part.Body);
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task NotImplemented(HttpContext context, string feature) =>
        Http.Problem(context, StatusCodes.Status501NotImplemented, "Not implemented", $"SmtpMock's MailHog API has no {feature}; docs/migrating.md lists what is there");
}
