using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// One message: /api/v1/message/{ID|latest} with /headers, /raw and /part/{PartID}, and /view/{ID}.html|.txt. Reading
/// the message or a view marks it read, as in Mailpit. <c>latest</c> is the newest message, or the newest that
/// <c>?query=</c> finds.
/// </summary>
internal sealed partial class MailpitMessageApi(MailpitState state)
{
    // A part or a view is served with its own type on this origin: sandboxed, it cannot run as this origin's page.
    private const string Sandbox = "sandbox";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/message/{id}", new RequestDelegate(MessageAsync));
        app.MapGet("/api/v1/message/{id}/headers", new RequestDelegate(HeadersAsync));
        app.MapGet("/api/v1/message/{id}/raw", new RequestDelegate(RawAsync));
        app.MapGet("/api/v1/message/{id}/part/{partId}", new RequestDelegate(PartAsync));
        app.MapGet("/api/v1/message/{id}/part/{partId}/thumb", new RequestDelegate(c => MailpitReplies.NotImplemented(c, "Attachment thumbnails (GET /api/v1/message/{ID}/part/{PartID}/thumb)")));
        app.MapGet("/api/v1/message/{id}/html-check", new RequestDelegate(c => MailpitReplies.NotImplemented(c, "The HTML check (GET /api/v1/message/{ID}/html-check)")));
        app.MapGet("/api/v1/message/{id}/link-check", new RequestDelegate(c => MailpitReplies.NotImplemented(c, "The link check (GET /api/v1/message/{ID}/link-check)")));
        app.MapGet("/api/v1/message/{id}/sa-check", new RequestDelegate(c => MailpitReplies.NotImplemented(c, "The SpamAssassin check (GET /api/v1/message/{ID}/sa-check)")));
        app.MapGet("/view/{file}", new RequestDelegate(ViewAsync));
    }

    private async Task MessageAsync(HttpContext context)
    {
        if (await FindAsync(context, context.Request.RouteValues["id"] as string) is not { } message)
        {
            return;
        }

        var detail = MailpitSummaries.Detail(message);
        await state.Store.SetReadAsync([message.Id], true, context.RequestAborted).ConfigureAwait(false);
        await MailpitReplies.Json(context, detail, MailpitJson.Go.MailpitMessage).ConfigureAwait(false);
    }

    private async Task HeadersAsync(HttpContext context)
    {
        if (await FindAsync(context, context.Request.RouteValues["id"] as string) is { } message)
        {
            await MailpitReplies.Json(context, MailpitSummaries.Headers(message.Message), MailpitJson.Go.DictionaryStringStringArray).ConfigureAwait(false);
        }
    }

    private async Task RawAsync(HttpContext context)
    {
        if (await FindAsync(context, context.Request.RouteValues["id"] as string) is not { } message)
        {
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = message.Size;
        if (context.Request.Query["dl"] == "1")
        {
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{message.Id}.eml\"";
        }

        await using var content = message.OpenContent();
        await content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A part that is not a text or HTML body, decoded, with its own type: what Mailpit serves.</summary>
    private async Task PartAsync(HttpContext context)
    {
        if (await FindAsync(context, context.Request.RouteValues["id"] as string) is not { } message)
        {
            return;
        }

        var partId = context.Request.RouteValues["partId"] as string;
        var part = MailpitParts.Of(message.Message).FirstOrDefault(p => p.PartID == partId && p.Kind != MailpitPartKind.Body);
        if (part is null)
        {
            await MailpitReplies.NotFound(context).ConfigureAwait(false);
            return;
        }

        var bytes = part.Bytes();
        context.Response.ContentType = part.Entity.ContentType.MimeType;
        context.Response.Headers.ContentSecurityPolicy = Sandbox;
        context.Response.Headers.ContentDisposition = $"inline; filename=\"{Uri.EscapeDataString(part.FileName.Length > 0 ? part.FileName : part.ContentId)}\"";
        context.Response.ContentLength = bytes.LongLength;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>/view/{ID}.html (cid: links pointing at the parts) and /view/{ID}.txt.</summary>
    private async Task ViewAsync(HttpContext context)
    {
        var file = context.Request.RouteValues["file"] as string ?? string.Empty;
        var html = file.EndsWith(".html", StringComparison.Ordinal);
        if (!html && !file.EndsWith(".txt", StringComparison.Ordinal))
        {
            await MailpitReplies.NotFound(context).ConfigureAwait(false);
            return;
        }

        var id = file[..file.LastIndexOf('.')];
        if (await LookUpAsync(context, id) is not { } message)
        {
            await MailpitReplies.Text(context, StatusCodes.Status404NotFound, "Message not found").ConfigureAwait(false);
            return;
        }

        var detail = MailpitSummaries.Detail(message);
        await state.Store.SetReadAsync([message.Id], true, context.RequestAborted).ConfigureAwait(false);
        if (!html)
        {
            await MailpitReplies.Text(context, StatusCodes.Status200OK, detail.Text).ConfigureAwait(false);
            return;
        }

        if (detail.HTML.Length == 0)
        {
            await MailpitReplies.Text(context, StatusCodes.Status404NotFound, "This message does not contain a HTML part").ConfigureAwait(false);
            return;
        }

        var parts = MailpitParts.Of(message.Message);
        var page = ContentIdLink().Replace(detail.HTML, m =>
            parts.FirstOrDefault(p => string.Equals(p.ContentId, m.Groups[2].Value, StringComparison.Ordinal)) is { } part
                ? $"{m.Groups[1].Value}/api/v1/message/{message.Id}/part/{part.PartID}"
                : m.Value);
        context.Response.Headers.ContentSecurityPolicy = Sandbox;
        await MailpitReplies.Text(context, StatusCodes.Status200OK, page, "text/html; charset=utf-8").ConfigureAwait(false);
    }

    /// <summary>The message, or null after answering 404 (Mailpit's text for <c>latest</c> with nothing to find, else its plain 404).</summary>
    private async Task<CapturedMessage?> FindAsync(HttpContext context, string? id)
    {
        var message = await LookUpAsync(context, id).ConfigureAwait(false);
        if (message is null)
        {
            await (id == "latest" ? MailpitReplies.Text(context, StatusCodes.Status404NotFound, "Message not found") : MailpitReplies.NotFound(context)).ConfigureAwait(false);
        }

        return message;
    }

    private async Task<CapturedMessage?> LookUpAsync(HttpContext context, string? id)
    {
        if (id != "latest")
        {
            return id is null ? null : await state.Store.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        }

        var query = MessageQuery.All;
        if (context.Request.Query["query"].ToString().Trim() is { Length: > 0 } search)
        {
            query = MailpitSearch.Parse(search, MailpitBodies.Zone(context), out _) ?? query;
        }

        return (await state.Store.QueryAsync(query with { Limit = 1 }, context.RequestAborted).ConfigureAwait(false)).Items.FirstOrDefault();
    }

    [GeneratedRegex("""((?:src|href|background)\s*=\s*["']?)cid:([^"'\s>]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex ContentIdLink();
}
