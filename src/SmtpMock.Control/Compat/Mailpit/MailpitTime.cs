using System.Globalization;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// Times as Go's time.Time marshals them (RFC 3339 with the fraction's trailing zeros trimmed, Z for UTC), not .NET's
/// seven-digit form: <c>2026-09-14T16:35:35.697Z</c>, <c>2026-07-27T15:44:41+12:00</c>.
/// </summary>
internal static class MailpitTime
{
    /// <summary>A receive time as Mailpit stores it: milliseconds, UTC.</summary>
    public static string Created(DateTimeOffset time) =>
        Format(DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds()));

    public static string Format(DateTimeOffset time)
    {
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var ticks = time.Ticks % TimeSpan.TicksPerSecond;
        if (ticks != 0)
        {
            text += "." + ticks.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        return text + (time.Offset == TimeSpan.Zero ? "Z" : time.ToString("zzz", CultureInfo.InvariantCulture));
    }
}
