using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>Request bodies read as Go reads them: any Content-Type (or none), names in any case; an empty body is Go's <c>EOF</c>.</summary>
internal static class MailpitBodies
{
    public static async Task<(T? Value, string? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return (null, "EOF");
        }

        try
        {
            var value = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type);
            return value is null ? (null, "the body is null: send a JSON object") : (value, null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The IANA zone of <c>?tz=</c>, or UTC (the zone Mailpit's image runs in) when absent or unknown.</summary>
    public static TimeZoneInfo Zone(HttpContext context) =>
        context.Request.Query["tz"].ToString() is { Length: > 0 } name && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>An integer query value as Go's strconv reads Mailpit's: absent, negative or not a number gives <paramref name="fallback"/>.</summary>
    public static int Int(HttpContext context, string name, int fallback) =>
        int.TryParse(context.Request.Query[name].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
