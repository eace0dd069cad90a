using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>Answers as MailHog writes them: compact JSON with no trailing newline, and empty bodies for what it acknowledges.</summary>
internal static class MailHogHttp
{
    /// <summary>MailHog's content type for messages (<c>/api/v1/messages</c>, <c>/api/v2/messages</c>); search and Jim say <c>application/json</c>.</summary>
    public const string TextJson = "text/json";

    public const string ApplicationJson = "application/json";

    public static async Task Json<T>(HttpContext context, T value, JsonTypeInfo<T> type, string contentType, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A status with no body (MailHog's answer to a delete, a release, a Jim change).</summary>
    public static Task Empty(HttpContext context, int status = StatusCodes.Status200OK, string? contentType = TextJson)
    {
        context.Response.StatusCode = status;
        if (contentType is not null)
        {
            context.Response.ContentType = contentType;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// MailHog's <c>start</c> and <c>limit</c>: a start that is not a number, or below 0, is 0; a limit that is not
    /// a number, or 0 or below, is 50, and at most 250.
    /// </summary>
    public static (int Start, int Limit) Paging(HttpContext context)
    {
        var start = int.TryParse(context.Request.Query["start"].ToString(), out var s) && s > 0 ? s : 0;
        var limit = int.TryParse(context.Request.Query["limit"].ToString(), out var l) && l > 0 ? Math.Min(l, 250) : 50;
        return (start, limit);
    }
}
