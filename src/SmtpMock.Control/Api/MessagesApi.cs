using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Control.Model;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Api;

/// <summary>/api/v1/messages: list with filters and paging, wait, detail, raw bytes, attachments, delete.</summary>
internal sealed class MessagesApi(ControlState state)
{
    /// <summary>The header that carries an attachment's declared content type (the body is always application/octet-stream).</summary>
    public const string DeclaredTypeHeader = "X-Attachment-Content-Type";

    private IMessageStore Store => state.Server.Messages;

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/messages", ListAsync);
        api.MapGet("/messages/wait", WaitAsync);
        api.MapGet("/messages/{id}", DetailAsync);
        api.MapGet("/messages/{id}/raw", RawAsync);
        api.MapGet("/messages/{id}/attachments/{n:int}", AttachmentAsync);
        api.MapDelete("/messages", DeleteAllAsync);
        api.MapDelete("/messages/{id}", DeleteAsync);
    }

    private async Task<Results<Ok<MessagePage>, ProblemHttpResult>> ListAsync(
        [AsParameters] MessageFilter filter, string? limit, string? cursor, CancellationToken aborted)
    {
        if (!filter.TryQuery(out var query, out var error)
            || !QueryValues.TryInt(limit, "limit", 50, 1, 1000, out var max, out error))
        {
            return Problems.BadRequest(error!);
        }

        MessageResults page;
        try
        {
            page = await Store.QueryAsync(query with { After = QueryValues.Text(cursor), Limit = max }, aborted).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest($"'cursor' {e.Message}".Replace("'cursor' the cursor ", "'cursor' ", StringComparison.Ordinal));
        }

        var faults = new MessageFaults(state.Server);
        return TypedResults.Ok(new MessagePage([.. page.Items.Select(m => MessageViews.Summary(m, faults.Of(m)))], page.NextCursor));
    }

    private async Task<Results<Ok<MessagePage>, ProblemHttpResult>> WaitAsync(
        [AsParameters] MessageFilter filter, string? count, string? timeout, HttpResponse response, CancellationToken aborted)
    {
        if (!filter.TryQuery(out var query, out var error)
            || !QueryValues.TryInt(count, "count", 1, 1, 10_000, out var wanted, out error)
            || !QueryValues.TryTimeout(timeout, state.Options.MaxWait, out var patience, out error))
        {
            return Problems.BadRequest(error!);
        }

        using var slot = state.EnterWait();
        if (slot is null)
        {
            return Problems.TooManyWaits(response, state.Options.MaxWaits);
        }

        IReadOnlyList<CapturedMessage> found = [];
        var done = await state.MessagesChanged.WaitUntilAsync(
            async () => (found = (await Store.QueryAsync(query, aborted).ConfigureAwait(false)).Items).Count >= wanted,
            patience,
            aborted).ConfigureAwait(false);
        if (!done)
        {
            return Problems.TimedOut($"{found.Count} of {wanted} matching messages after {patience.TotalSeconds:0.###}s");
        }

        var faults = new MessageFaults(state.Server);
        return TypedResults.Ok(new MessagePage([.. found.Select(m => MessageViews.Summary(m, faults.Of(m)))], null));
    }

    private async Task<Results<Ok<MessageDetail>, ProblemHttpResult>> DetailAsync(string id, CancellationToken aborted)
    {
        if (await Store.GetAsync(id, aborted).ConfigureAwait(false) is not { } message)
        {
            return NoMessage(id);
        }

        var produced = await Store.QueryAsync(MessageQuery.All.With(QueryField.GeneratedFrom, message.Id) with { OldestFirst = true }, aborted).ConfigureAwait(false);
        return TypedResults.Ok(MessageViews.Detail(message, new MessageFaults(state.Server).Of(message), [.. produced.Items.Select(m => new Generated(m.Origin!.Kind, m.Id))]));
    }

    private async Task<Results<FileStreamHttpResult, ProblemHttpResult>> RawAsync(string id, HttpResponse response, CancellationToken aborted)
    {
        if (await Store.GetAsync(id, aborted).ConfigureAwait(false) is not { } message)
        {
            return NoMessage(id);
        }

        // Inline, to be read in the browser: a download name would make it an attachment.
        response.ContentLength = message.Size;
        response.Headers.ContentDisposition = $"inline; filename=\"{message.Id}.eml\"";
        return TypedResults.Stream(message.OpenContent(), "message/rfc822");
    }

    private async Task<Results<FileContentHttpResult, ProblemHttpResult>> AttachmentAsync(string id, int n, HttpResponse response, CancellationToken aborted)
    {
        if (await Store.GetAsync(id, aborted).ConfigureAwait(false) is not { } message)
        {
            return NoMessage(id);
        }

        var attachments = message.Message.Attachments.ToList();
        if (n < 0 || n >= attachments.Count)
        {
            return Problems.NotFound($"message {message.Id} has no attachment {n} (it has {attachments.Count}, counted from 0)");
        }

        // Never served as its declared type: an attachment that says text/html or application/javascript would run as
        // this origin's page. The declared type goes in its own header for tools that want it; the file name goes in
        // Content-Disposition as filename and, for a name that is not ASCII, filename* (RFC 6266).
        var (declaredType, fileName) = MessageViews.AttachmentFile(attachments[n], n);
        response.Headers[DeclaredTypeHeader] = declaredType;
        return TypedResults.File(MessageViews.AttachmentBytes(attachments[n]), "application/octet-stream", fileName);
    }

    private async Task<Results<NoContent, ProblemHttpResult>> DeleteAllAsync([AsParameters] MessageFilter filter, CancellationToken aborted)
    {
        if (!filter.TryQuery(out var query, out var error))
        {
            return Problems.BadRequest(error!);
        }

        await Store.DeleteAsync(query, aborted).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, CancellationToken aborted) =>
        await Store.DeleteAsync(id, aborted).ConfigureAwait(false) ? TypedResults.NoContent() : NoMessage(id);

    private static ProblemHttpResult NoMessage(string id) => Problems.NotFound($"no message {id}");
}
