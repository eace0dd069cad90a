using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>/api/v1/info, /api/v1/webui, the probes /readyz and /livez, and <c>/</c>: a page that links to ours.</summary>
internal sealed class MailpitAppApi(MailpitState state)
{
    /// <summary>The Mailpit API level this port speaks (pytest-mailpit reads it and wants 1.22 or later).</summary>
    public const string Version = "v1.30.5";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/info", new RequestDelegate(InfoAsync));
        app.MapGet("/api/v1/webui", new RequestDelegate(WebUiAsync));
        app.MapGet("/readyz", new RequestDelegate(c => MailpitReplies.Text(c, StatusCodes.Status200OK, string.Empty)));
        app.MapGet("/livez", new RequestDelegate(c => MailpitReplies.Text(c, StatusCodes.Status200OK, string.Empty)));
        app.MapGet("/", new RequestDelegate(HomeAsync));
        app.MapGet("/api/v1/swagger.json", new RequestDelegate(c => MailpitReplies.NotImplemented(c, "Mailpit's OpenAPI document (GET /api/v1/swagger.json)")));
        app.MapGet("/api/events", new RequestDelegate(c => MailpitReplies.NotImplemented(c, "Mailpit's web UI websocket (GET /api/events); SmtpMock's own /api/v1/events streams the same news")));
    }

    private async Task InfoAsync(HttpContext context)
    {
        var counts = await state.Store.CountAsync(context.RequestAborted).ConfigureAwait(false);
        var tags = await state.Store.TagsAsync(context.RequestAborted).ConfigureAwait(false);
        var now = state.Server.Options.TimeProvider.GetUtcNow();
        var info = new MailpitInfo(
            Version,
            "disabled",
            state.Store.Description,
            0,
            counts.Total,
            counts.Unread,
            tags.ToDictionary(t => t.Name, t => t.Messages, StringComparer.Ordinal),
            new MailpitRuntimeStats(
                (long)(now - state.Started).TotalSeconds,
                GC.GetTotalMemory(forceFullCollection: false),
                state.Deleted,
                state.Store.TotalCaptured,
                state.AcceptedSize,
                0,
                0));
        await MailpitReplies.Json(context, info, MailpitJson.Go.MailpitInfo).ConfigureAwait(false);
    }

    private Task WebUiAsync(HttpContext context)
    {
        var relay = state.Control.Relay;
        var webUi = new MailpitWebUi(
            $"SmtpMock {SmtpServerOptions.Version}",
            new MailpitRelay(relay is not null, relay?.ToString() ?? string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, true, string.Empty),
            false,
            true,
            false,
            false);
        return MailpitReplies.Json(context, webUi, MailpitJson.Go.MailpitWebUi);
    }

    /// <summary>200 (the Java Testcontainers module waits for it) with a link to our own page, as Mailpit's page is not copied.</summary>
    private Task HomeAsync(HttpContext context)
    {
        var page = state.Options.PageAddress is { } address
            ? $"<a href=\"{WebUtility.HtmlEncode(address.ToString())}\">SmtpMock's page</a>"
            : "SmtpMock's page is off (--no-http)";
        return MailpitReplies.Text(
            context,
            StatusCodes.Status200OK,
            $"<!doctype html><meta charset=\"utf-8\"><title>SmtpMock: Mailpit API</title><p>This port speaks Mailpit's API (/api/v1/...). The mail is in {page}.</p>",
            "text/html; charset=utf-8");
    }
}
