using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Api;

/// <summary>/api/v1/messages: list with filters and paging, wait, detail, raw bytes, attachments, delete.</summary>
internal sealed class MessagesApi(ControlState state)
{
    private IMessageStore Store => state.Server.Messages;

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/messages", new RequestDelegate(ListAsync));
        api.MapGet("/messages/wait", new RequestDelegate(WaitAsync));
        api.MapGet("/messages/{id}", new RequestDelegate(DetailAsync));
        api.MapGet("/messages/{id}/raw", new RequestDelegate(RawAsync));
        api.MapGet("/messages/{id}/attachments/{n:int}", new RequestDelegate(AttachmentAsync));
        api.MapDelete("/messages", new RequestDelegate(DeleteAllAsync));
        api.MapDelete("/messages/{id}", new RequestDelegate(DeleteAsync));
    }

    private async Task ListAsync(HttpContext context)
    {
        if (!MessageFilter.TryRead(context, out var filter, out var error)
            || !Http.TryInt(context, "limit", 50, 1, 1000, out var limit, out error))
        {
            await Http.BadRequest(context, error!).ConfigureAwait(false);
            return;
        }

        MessageResults page;
        try
        {
            page = await Store.QueryAsync(filter with { After = Http.Query(context, "cursor"), Limit = limit }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await Http.BadRequest(context, $"'cursor' {e.Message}".Replace("'cursor' the cursor ", "'cursor' ", StringComparison.Ordinal)).ConfigureAwait(false);
            return;
        }

        var faults = new MessageFaults(state.Server);
        await Http.Json(context, new MessagePage([.. page.Items.Select(m => Summary(m, faults))], page.NextCursor), ControlJson.Readable.MessagePage).ConfigureAwait(false);
    }

    private async Task WaitAsync(HttpContext context)
    {
        if (!MessageFilter.TryRead(context, out var filter, out var error)
            || !Http.TryInt(context, "count", 1, 1, 10_000, out var count, out error)
            || !Http.TryTimeout(context, state.Options.MaxWait, out var timeout, out error))
        {
            await Http.BadRequest(context, error!).ConfigureAwait(false);
            return;
        }

        using var slot = state.EnterWait();
        if (slot is null)
        {
            await Http.Busy(context, $"{state.Options.MaxWaits} wait calls are open at once: try again when one has answered").ConfigureAwait(false);
            return;
        }

        IReadOnlyList<CapturedMessage> found = [];
        var done = await state.MessagesChanged.WaitUntilAsync(
            async () => (found = (await Store.QueryAsync(filter, context.RequestAborted).ConfigureAwait(false)).Items).Count >= count,
            timeout,
            context.RequestAborted).ConfigureAwait(false);
        if (!done)
        {
            await Http.Problem(context, StatusCodes.Status408RequestTimeout, "Timed out", $"{found.Count} of {count} matching messages after {timeout.TotalSeconds:0.###}s").ConfigureAwait(false);
            return;
        }

        var faults = new MessageFaults(state.Server);
        await Http.Json(context, new MessagePage([.. found.Select(m => Summary(m, faults))], null), ControlJson.Readable.MessagePage).ConfigureAwait(false);
    }

    private async Task DetailAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } message)
        {
            return;
        }

        var produced = await state.Server.Messages.QueryAsync(MessageQuery.All.With(QueryField.GeneratedFrom, message.Id) with { OldestFirst = true }, context.RequestAborted).ConfigureAwait(false);
        var detail = MessageViews.Detail(message, new MessageFaults(state.Server).Of(message), [.. produced.Items.Select(m => new Generated(m.Origin!.Kind, m.Id))]);
        await Http.Json(context, detail, ControlJson.Readable.MessageDetail).ConfigureAwait(false);
    }

    private async Task RawAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } message)
        {
            return;
        }

        context.Response.ContentType = "message/rfc822";
        context.Response.ContentLength = message.Size;
        context.Response.Headers.ContentDisposition = $"inline; filename=\"{message.Id}.eml\"";
        await using var content = message.OpenContent();
        await content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The header that carries an attachment's declared content type (the body is always application/octet-stream).</summary>
    public const string DeclaredTypeHeader = "X-Attachment-Content-Type";

    private async Task AttachmentAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } message)
        {
            return;
        }

        var n = int.Parse(Http.Route(context, "n")!, System.Globalization.CultureInfo.InvariantCulture);
        var attachments = message.Message.Attachments.ToList();
        var part = n >= 0 && n < attachments.Count ? attachments[n] : null;
        if (part is null)
        {
            await Http.NotFound(context, $"message {message.Id} has no attachment {n} (it has {attachments.Count}, counted from 0)").ConfigureAwait(false);
            return;
        }

        var bytes = MessageViews.AttachmentBytes(part);
        // Never served as its declared type: an attachment that says text/html or application/javascript would run as
        // this origin's page. The declared type goes in its own header for tools that want it.
        var (declaredType, disposition) = MessageViews.AttachmentHeaders(part, n);
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers[DeclaredTypeHeader] = declaredType;
        context.Response.ContentLength = bytes.LongLength;
        context.Response.Headers.ContentDisposition = disposition;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task DeleteAllAsync(HttpContext context)
    {
        if (!MessageFilter.TryRead(context, out var filter, out var error))
        {
            await Http.BadRequest(context, error!).ConfigureAwait(false);
            return;
        }

        await Store.DeleteAsync(filter, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var id = Http.Route(context, "id")!;
        if (!await Store.DeleteAsync(id, context.RequestAborted).ConfigureAwait(false))
        {
            await Http.NotFound(context, $"no message {id}").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task<CapturedMessage?> FindAsync(HttpContext context)
    {
        var id = Http.Route(context, "id")!;
        var message = await Store.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (message is null)
        {
            await Http.NotFound(context, $"no message {id}").ConfigureAwait(false);
        }

        return message;
    }

    private static MessageSummary Summary(CapturedMessage message, MessageFaults faults) => MessageViews.Summary(message, faults.Of(message));
}
