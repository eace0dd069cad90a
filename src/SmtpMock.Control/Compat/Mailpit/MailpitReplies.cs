using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using SmtpMock.Control.Api;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// How Mailpit answers (server/apiv1/api.go): JSON with a trailing newline (Go's json.Encoder), <c>ok</c> in plain text
/// after a change, errors as plain text (400 with the reason, 404 <c>404 page not found</c>). What SmtpMock does not
/// implement is 501 problem+json naming the feature.
/// </summary>
internal static class MailpitReplies
{
    public const string NotFoundText = "404 page not found";

    public static async Task Json<T>(HttpContext context, T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    public static Task Ok(HttpContext context) => Text(context, StatusCodes.Status200OK, "ok");

    public static Task Error(HttpContext context, string message) => Text(context, StatusCodes.Status400BadRequest, message);

    public static Task NotFound(HttpContext context) => Text(context, StatusCodes.Status404NotFound, NotFoundText);

    public static Task Text(HttpContext context, int status, string text, string type = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = type;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    public static Task NotImplemented(HttpContext context, string feature) =>
        Http.Problem(context, StatusCodes.Status501NotImplemented, "Not implemented", $"{feature} is a Mailpit feature SmtpMock does not implement (docs/migrating.md lists what the Mailpit-compatible API has)");
}
