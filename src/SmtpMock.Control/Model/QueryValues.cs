using System.Globalization;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Control.Model;

/// <summary>
/// Query values as the framework binds them (text, or null when absent), checked with the error an API answers:
/// numbers within bounds, yes/no, ISO 8601 times and wait timeouts. Binding to <c>int?</c> or <c>bool?</c> instead
/// would answer a bad value with the framework's bare 400, which says neither which value nor what it should be.
/// Every check either gives a value within its bounds or says what is wrong, and names the value as the client wrote it.
/// </summary>
internal static class QueryValues
{
    /// <summary>The default timeout of a wait call.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A value as given, or null when it is absent or empty (<c>?to=</c> filters nothing).</summary>
    public static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>An integer within bounds, <paramref name="fallback"/> when absent; <paramref name="error"/> says what is wrong when it is not.</summary>
    public static bool TryInt(string? text, string name, int fallback, int min, int max, out int value, out string? error)
    {
        error = null;
        value = fallback;
        if (Text(text) is not { } given)
        {
            return true;
        }

        if (!int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"'{name}' must be a whole number from {min} to {max}, not '{given}'";
            return false;
        }

        return true;
    }

    /// <summary>A yes/no value (<c>true</c> or <c>false</c>, any case); null when absent.</summary>
    public static bool TryBool(string? text, string name, out bool? value, out string? error)
    {
        error = null;
        value = null;
        if (Text(text) is not { } given)
        {
            return true;
        }

        if (!bool.TryParse(given, out var parsed))
        {
            error = $"'{name}' must be true or false, not '{given}'";
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>A time: ISO 8601 (2026-11-30T18:00:00Z); null when absent.</summary>
    public static bool TryTime(string? text, string name, out DateTimeOffset? value, out string? error)
    {
        error = null;
        value = null;
        if (Text(text) is not { } given)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(given, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            error = $"'{name}' must be an ISO 8601 time such as 2026-11-30T18:00:00Z, not '{given}'";
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>A wait's timeout: 10s, 500ms, 2m or milliseconds, at most <paramref name="max"/>; <see cref="DefaultTimeout"/> when absent.</summary>
    public static bool TryTimeout(string? text, TimeSpan max, out TimeSpan value, out string? error)
    {
        error = null;
        value = DefaultTimeout;
        if (Text(text) is not { } given)
        {
            return true;
        }

        if (!Durations.TryParse(given, out value) || value > max)
        {
            error = $"'timeout' must be a duration such as 10s, 500ms or 2m, at most {max.TotalSeconds:0}s, not '{given}'";
            return false;
        }

        return true;
    }
}
