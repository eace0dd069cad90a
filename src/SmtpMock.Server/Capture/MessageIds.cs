using System.Globalization;
using System.Security.Cryptography;

namespace SmtpMock.Server.Capture;

/// <summary>
/// Message ids: 32 lowercase hex digits, time-ordered like a UUIDv7: 48 bits of Unix milliseconds, then 40 bits
/// drawn once per process, then a 40-bit counter. The counter makes ids unique within a process, the random part
/// across processes sharing one <c>--store</c> folder. Unlike <see cref="Guid.CreateVersion7()"/>, which read
/// /dev/urandom for every message (one system call each), this costs no system call.
/// </summary>
internal static class MessageIds
{
    private const long FortyBits = (1L << 40) - 1;
    private static readonly long ProcessPart = BitConverter.ToInt64([.. RandomNumberGenerator.GetBytes(5), 0, 0, 0]);
    private static long _counter;

    /// <summary>A new id stamped with <paramref name="now"/>.</summary>
    public static string Next(DateTimeOffset now)
    {
        var millis = now.ToUnixTimeMilliseconds() & ((1L << 48) - 1);
        var count = Interlocked.Increment(ref _counter) & FortyBits;
        return string.Create(32, (millis, count), static (span, state) =>
        {
            state.millis.TryFormat(span[..12], out _, "x12", CultureInfo.InvariantCulture);
            ProcessPart.TryFormat(span[12..22], out _, "x10", CultureInfo.InvariantCulture);
            state.count.TryFormat(span[22..], out _, "x10", CultureInfo.InvariantCulture);
        });
    }
}
