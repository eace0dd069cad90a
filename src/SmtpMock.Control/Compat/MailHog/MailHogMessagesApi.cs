using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Api;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// MailHog's message endpoints over the store: the v2 pages and search, v1's list, one message, its download, and
/// deletes. Newest first, as MailHog lists. Where MailHog answers an unknown id with <c>200 null</c>, a 500 or a
/// dropped connection, this answers 404 with a problem saying which id.
/// </summary>
internal sealed class MailHogMessagesApi(SmtpMockServer server)
{
    /// <summary>The most <c>GET /api/v1/messages</c> lists, as MailHog (it has no paging).</summary>
    public const int V1Limit = 1000;

    private IMessageStore Store => server.Messages;

    private string Hostname => server.Options.Hostname;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/messages", new RequestDelegate(PageAsync));
        app.MapGet("/api/v2/search", new RequestDelegate(SearchAsync));
        app.MapGet("/api/v1/messages", new RequestDelegate(ListAsync));
        app.MapDelete("/api/v1/messages", new RequestDelegate(DeleteAllAsync));
        app.MapGet("/api/v1/messages/{id}", new RequestDelegate(GetAsync));
        app.MapDelete("/api/v1/messages/{id}", new RequestDelegate(DeleteAsync));
        app.MapGet("/api/v1/messages/{id}/download", new RequestDelegate(DownloadAsync));
    }

    private async Task PageAsync(HttpContext context)
    {
        var (start, limit) = MailHogHttp.Paging(context);
        var page = await Store.QueryAsync(new MessageQuery { Skip = start, Limit = limit }, context.RequestAborted).ConfigureAwait(false);
        var total = (await Store.CountAsync(context.RequestAborted).ConfigureAwait(false)).Total;
        await MailHogHttp.Json(context, Page(page.Items, total, start), MailHogJson.Compact.MailHogPage, MailHogHttp.TextJson).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>kind=from</c>: the envelope sender or the From header; <c>to</c>: a recipient or the To header;
    /// <c>containing</c>: the content as it came (headers, and the body still encoded). Any case, a substring.
    /// </summary>
    private async Task SearchAsync(HttpContext context)
    {
        var query = Http.Query(context, "query");
        var kind = Http.Query(context, "kind");
        QueryField[]? fields = kind switch
        {
            "from" => [QueryField.Sender, QueryField.From],
            "to" => [QueryField.Recipient, QueryField.To],
            "containing" => [QueryField.Raw],
            _ => null,
        };
        if (fields is null || query is null)
        {
            await Http.BadRequest(context, fields is null
                ? $"'kind' is from, to or containing, not '{kind}'"
                : "'query' is empty: give the text to search for").ConfigureAwait(false);
            return;
        }

        // Either field may match: one query per field (every match), merged newest first, then MailHog's page.
        var matches = new Dictionary<string, CapturedMessage>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var found = await Store.QueryAsync(MessageQuery.All.With(field, query), context.RequestAborted).ConfigureAwait(false);
            foreach (var message in found.Items)
            {
                matches.TryAdd(message.Id, message);
            }
        }

        var (start, limit) = MailHogHttp.Paging(context);
        var ordered = matches.Values.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).ToList();
        var items = ordered.Skip(start).Take(limit).ToList();
        await MailHogHttp.Json(context, Page(items, ordered.Count, start), MailHogJson.Compact.MailHogPage, MailHogHttp.ApplicationJson).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context)
    {
        var page = await Store.QueryAsync(new MessageQuery { Limit = V1Limit }, context.RequestAborted).ConfigureAwait(false);
        await MailHogHttp.Json(context, [.. page.Items.Select(m => MailHogMessages.From(m, Hostname))], MailHogJson.Compact.MailHogMessageArray, MailHogHttp.TextJson).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } message)
        {
            return;
        }

        // Opened by a client: read, as the page and our API mark it.
        await Store.SetReadAsync([message.Id], read: true, context.RequestAborted).ConfigureAwait(false);
        await MailHogHttp.Json(context, MailHogMessages.From(message, Hostname), MailHogJson.Compact.MailHogMessage, MailHogHttp.TextJson).ConfigureAwait(false);
    }

    private async Task DownloadAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } message)
        {
            return;
        }

        var bytes = MailHogMessages.Download(message, MailHogMessages.From(message, Hostname));
        context.Response.ContentType = "message/rfc822";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{message.Id}.eml\"";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task DeleteAllAsync(HttpContext context)
    {
        await Store.DeleteAsync(MessageQuery.All, context.RequestAborted).ConfigureAwait(false);
        await MailHogHttp.Empty(context).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var id = Http.Route(context, "id")!;
        if (!await Store.DeleteAsync(id, context.RequestAborted).ConfigureAwait(false))
        {
            await Http.NotFound(context, $"no kept message has the id {id}").ConfigureAwait(false);
            return;
        }

        await MailHogHttp.Empty(context).ConfigureAwait(false);
    }

    /// <summary>The message the route names, or null after a 404.</summary>
    private async Task<CapturedMessage?> FindAsync(HttpContext context)
    {
        var id = Http.Route(context, "id")!;
        var message = await Store.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (message is null)
        {
            await Http.NotFound(context, $"no kept message has the id {id}").ConfigureAwait(false);
        }

        return message;
    }

    private MailHogPage Page(IReadOnlyList<CapturedMessage> items, long total, int start) =>
        new(total, items.Count, start, [.. items.Select(m => MailHogMessages.From(m, Hostname))]);
}
