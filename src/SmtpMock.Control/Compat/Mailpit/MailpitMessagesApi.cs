using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>/api/v1/messages (list, read status, delete) and /api/v1/search (search, delete what it finds).</summary>
internal sealed class MailpitMessagesApi(MailpitState state)
{
    private IMessageStore Store => state.Store;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/messages", new RequestDelegate(ListAsync));
        app.MapPut("/api/v1/messages", new RequestDelegate(SetReadAsync));
        app.MapDelete("/api/v1/messages", new RequestDelegate(DeleteAsync));
        app.MapGet("/api/v1/search", new RequestDelegate(SearchAsync));
        app.MapDelete("/api/v1/search", new RequestDelegate(DeleteSearchAsync));
    }

    /// <summary>Newest first; <c>limit=0</c> lists all, as Mailpit does; <c>messages_count</c> is the mailbox's total.</summary>
    private async Task ListAsync(HttpContext context)
    {
        var start = MailpitBodies.Int(context, "start", 0);
        var limit = MailpitBodies.Int(context, "limit", 50);
        var query = MessageQuery.All with { Skip = start, Limit = limit == 0 ? null : limit };
        var page = await Store.QueryAsync(query, context.RequestAborted).ConfigureAwait(false);
        var counts = await Store.CountAsync(context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, page.Items, start, counts.Total, counts.Unread, counts).ConfigureAwait(false);
    }

    /// <summary>Newest first; <c>limit=0</c> gives none (Mailpit slices the matches); the counts are the matches'.</summary>
    private async Task SearchAsync(HttpContext context)
    {
        if (await QueryAsync(context) is not { } query)
        {
            return;
        }

        var start = MailpitBodies.Int(context, "start", 0);
        var limit = MailpitBodies.Int(context, "limit", 50);
        var page = await Store.QueryAsync(query with { Skip = start, Limit = limit }, context.RequestAborted).ConfigureAwait(false);
        var unread = await Store.QueryAsync(query.With(QueryField.Read, "false") with { Limit = 0 }, context.RequestAborted).ConfigureAwait(false);
        var counts = await Store.CountAsync(context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, page.Items, start, page.Matched, unread.Matched, counts).ConfigureAwait(false);
    }

    private async Task SetReadAsync(HttpContext context)
    {
        var (request, error) = await MailpitBodies.ReadAsync(context, MailpitJson.Go.MailpitReadRequest).ConfigureAwait(false);
        if (request is null)
        {
            await MailpitReplies.Error(context, error!).ConfigureAwait(false);
            return;
        }

        if (request.IDs is { Length: > 0 } && !string.IsNullOrWhiteSpace(request.Search))
        {
            await MailpitReplies.Error(context, "You may specify either IDs or a search query, not both").ConfigureAwait(false);
            return;
        }

        IReadOnlyCollection<string>? ids = request.IDs is { Length: > 0 } given ? given : null;
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            if (MailpitSearch.Parse(request.Search.Trim(), MailpitBodies.Zone(context), out var searchError) is not { } query)
            {
                await MailpitReplies.Error(context, searchError!).ConfigureAwait(false);
                return;
            }

            ids = [.. (await Store.QueryAsync(query, context.RequestAborted).ConfigureAwait(false)).Items.Select(m => m.Id)];
        }

        await Store.SetReadAsync(ids, request.Read, context.RequestAborted).ConfigureAwait(false);
        await MailpitReplies.Ok(context).ConfigureAwait(false);
    }

    /// <summary>No body, a body that is not JSON, or no IDs: everything, as Mailpit does. Unknown IDs are ignored.</summary>
    private async Task DeleteAsync(HttpContext context)
    {
        var (request, _) = await MailpitBodies.ReadAsync(context, MailpitJson.Go.MailpitIdsRequest).ConfigureAwait(false);
        if (request?.IDs is { Length: > 0 } ids)
        {
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                await Store.DeleteAsync(id, context.RequestAborted).ConfigureAwait(false);
            }
        }
        else
        {
            await Store.DeleteAsync(MessageQuery.All, context.RequestAborted).ConfigureAwait(false);
        }

        await MailpitReplies.Ok(context).ConfigureAwait(false);
    }

    private async Task DeleteSearchAsync(HttpContext context)
    {
        if (await QueryAsync(context) is not { } query)
        {
            return;
        }

        await Store.DeleteAsync(query, context.RequestAborted).ConfigureAwait(false);
        await MailpitReplies.Ok(context).ConfigureAwait(false);
    }

    /// <summary>The <c>?query=</c> as a store query, or null after answering 400.</summary>
    private static async Task<MessageQuery?> QueryAsync(HttpContext context)
    {
        var text = context.Request.Query["query"].ToString().Trim();
        if (text.Length == 0)
        {
            await MailpitReplies.Error(context, "Error: no search query").ConfigureAwait(false);
            return null;
        }

        var query = MailpitSearch.Parse(text, MailpitBodies.Zone(context), out var error);
        if (query is null)
        {
            await MailpitReplies.Error(context, error!).ConfigureAwait(false);
        }

        return query;
    }

    private async Task WriteAsync(HttpContext context, IReadOnlyList<CapturedMessage> items, int start, long matched, long matchedUnread, StoreCounts counts)
    {
        var tags = await Store.TagsAsync(context.RequestAborted).ConfigureAwait(false);
        var body = new MailpitMessagesSummary(
            counts.Total,
            counts.Unread,
            items.Count,
            matched,
            matchedUnread,
            Math.Max(0, start),
            [.. tags.Select(t => t.Name)],
            [.. items.Select(MailpitSummaries.Of)]);
        await MailpitReplies.Json(context, body, MailpitJson.Go.MailpitMessagesSummary).ConfigureAwait(false);
    }
}
