using Microsoft.AspNetCore.Http;
using SmtpMock.Control.Model;

namespace SmtpMock.Control.Api;

/// <summary>
/// Problem answers and route and query values for code that handles a bare <see cref="HttpContext"/>: the request gate
/// (before any endpoint runs) and the compatible APIs' handlers. The answers are the same <see cref="Problems"/> the
/// typed endpoints return.
/// </summary>
internal static class Http
{
    public static Task Problem(HttpContext context, int status, string title, string? detail = null) =>
        Problems.Of(status, title, detail).ExecuteAsync(context);

    public static Task NotFound(HttpContext context, string what) => Problems.NotFound(what).ExecuteAsync(context);

    public static Task BadRequest(HttpContext context, string detail) => Problems.BadRequest(detail).ExecuteAsync(context);

    /// <summary>503 with Retry-After: a bounded resource (wait calls, event streams) is all in use.</summary>
    public static Task Busy(HttpContext context, string detail) => Problems.Busy(context.Response, detail).ExecuteAsync(context);

    public static string? Route(HttpContext context, string name) => context.Request.RouteValues[name] as string;

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) ? QueryValues.Text(value.ToString()) : null;
}
