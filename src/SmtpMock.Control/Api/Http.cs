using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Control.Api;

/// <summary>Writing JSON and RFC 7807 problems, and reading the query, the same way in every endpoint.</summary>
internal static class Http
{
    public const string ProblemType = "about:blank";

    public static Task Json<T>(HttpContext context, T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(value, type, contentType: "application/json; charset=utf-8", context.RequestAborted);
    }

    public static Task Problem(HttpContext context, int status, string title, string? detail = null, ProblemItem[]? problems = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new Problem(ProblemType, title, status, detail, problems),
            ControlJson.Readable.Problem,
            contentType: "application/problem+json",
            context.RequestAborted);
    }

    public static Task NotFound(HttpContext context, string what) => Problem(context, StatusCodes.Status404NotFound, "Not found", what);

    public static Task BadRequest(HttpContext context, string detail) => Problem(context, StatusCodes.Status400BadRequest, "Bad request", detail);

    /// <summary>503 with Retry-After: a bounded resource (wait calls, event streams) is all in use.</summary>
    public static Task Busy(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        return Problem(context, StatusCodes.Status503ServiceUnavailable, "Busy", detail);
    }

    public static string? Route(HttpContext context, string name) => context.Request.RouteValues[name] as string;

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.ToString()) ? value.ToString() : null;

    /// <summary>An integer query value within bounds; <paramref name="error"/> says what is wrong when it is not.</summary>
    public static bool TryInt(HttpContext context, string name, int fallback, int min, int max, out int value, out string? error)
    {
        error = null;
        value = fallback;
        var text = Query(context, name);
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"'{name}' must be a whole number from {min} to {max}, not '{text}'";
            return false;
        }

        return true;
    }

    /// <summary>A yes/no query value (<c>true</c> or <c>false</c>, any case); null when absent.</summary>
    public static bool TryBool(HttpContext context, string name, out bool? value, out string? error)
    {
        error = null;
        value = null;
        var text = Query(context, name);
        if (text is null)
        {
            return true;
        }

        if (!bool.TryParse(text, out var parsed))
        {
            error = $"'{name}' must be true or false, not '{text}'";
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>A time query value: ISO 8601 (2026-11-30T18:00:00Z); null when absent.</summary>
    public static bool TryTime(HttpContext context, string name, out DateTimeOffset? value, out string? error)
    {
        error = null;
        value = null;
        var text = Query(context, name);
        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            error = $"'{name}' must be an ISO 8601 time such as 2026-11-30T18:00:00Z, not '{text}'";
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>A wait's timeout: 10s, 500ms, 2m or milliseconds, at most <paramref name="max"/>; 10 s when absent.</summary>
    public static bool TryTimeout(HttpContext context, TimeSpan max, out TimeSpan value, out string? error)
    {
        error = null;
        value = TimeSpan.FromSeconds(10);
        var text = Query(context, "timeout");
        if (text is null)
        {
            return true;
        }

        if (!Durations.TryParse(text, out value) || value > max)
        {
            error = $"'timeout' must be a duration such as 10s, 500ms or 2m, at most {max.TotalSeconds:0}s, not '{text}'";
            return false;
        }

        return true;
    }

    public static DateTimeOffset Utc(DateTimeOffset time) => time.ToUniversalTime();
}
