using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>/api/v1/tags: every tag, a message's tags replaced, a tag renamed or removed everywhere.</summary>
internal sealed class MailpitTagsApi(MailpitState state)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/tags", new RequestDelegate(ListAsync));
        app.MapPut("/api/v1/tags", new RequestDelegate(SetAsync));
        app.MapPut("/api/v1/tags/{tag}", new RequestDelegate(RenameAsync));
        app.MapDelete("/api/v1/tags/{tag}", new RequestDelegate(DeleteAsync));
    }

    private async Task ListAsync(HttpContext context)
    {
        var tags = await state.Store.TagsAsync(context.RequestAborted).ConfigureAwait(false);
        await MailpitReplies.Json(context, [.. tags.Select(t => t.Name)], MailpitJson.Go.StringArray).ConfigureAwait(false);
    }

    /// <summary>Each message named gets exactly these tags (none: no tags); no IDs changes nothing.</summary>
    private async Task SetAsync(HttpContext context)
    {
        var (request, error) = await MailpitBodies.ReadAsync(context, MailpitJson.Go.MailpitTagsRequest).ConfigureAwait(false);
        if (request is null)
        {
            await MailpitReplies.Error(context, error!).ConfigureAwait(false);
            return;
        }

        if (request.IDs is { Length: > 0 } ids)
        {
            await state.Store.SetTagsAsync(ids, request.Tags ?? [], context.RequestAborted).ConfigureAwait(false);
        }

        await MailpitReplies.Ok(context).ConfigureAwait(false);
    }

    /// <summary>Body <c>{"Name": new}</c>: the tag is called that on every message carrying it.</summary>
    private async Task RenameAsync(HttpContext context)
    {
        var (request, error) = await MailpitBodies.ReadAsync(context, MailpitJson.Go.MailpitRenameRequest).ConfigureAwait(false);
        if (request is null)
        {
            await MailpitReplies.Error(context, error!).ConfigureAwait(false);
            return;
        }

        if (MessageTags.Clean([request.Name ?? string.Empty]) is not [var name])
        {
            await MailpitReplies.Error(context, $"invalid tag name: {request.Name}").ConfigureAwait(false);
            return;
        }

        await ReplaceAsync(context, tags => [.. tags.Select(t => string.Equals(t, Tag(context), StringComparison.OrdinalIgnoreCase) ? name : t)]).ConfigureAwait(false);
    }

    private Task DeleteAsync(HttpContext context) =>
        ReplaceAsync(context, tags => [.. tags.Where(t => !string.Equals(t, Tag(context), StringComparison.OrdinalIgnoreCase))]);

    /// <summary>Gives every message carrying the route's tag the tags <paramref name="change"/> makes of its own; 400 when none carries it.</summary>
    private async Task ReplaceAsync(HttpContext context, Func<IReadOnlyList<string>, string[]> change)
    {
        var tag = Tag(context);
        var carrying = (await state.Store.QueryAsync(MessageQuery.All.With(QueryField.Tag, tag), context.RequestAborted).ConfigureAwait(false)).Items;
        if (carrying.Count == 0)
        {
            await MailpitReplies.Error(context, $"tag not found: {tag}").ConfigureAwait(false);
            return;
        }

        foreach (var message in carrying)
        {
            await state.Store.SetTagsAsync([message.Id], change(message.Tags), context.RequestAborted).ConfigureAwait(false);
        }

        await MailpitReplies.Ok(context).ConfigureAwait(false);
    }

    private static string Tag(HttpContext context) => context.Request.RouteValues["tag"] as string ?? string.Empty;
}
