using System.Globalization;
using System.Security.Cryptography;

namespace SmtpMock.Server.Webhooks;

/// <summary>
/// The one signing scheme (docs/webhooks.md has verification code): <c>X-SmtpMock-Timestamp</c> holds Unix seconds
/// at the attempt, and <c>X-SmtpMock-Signature</c> is <c>sha256=</c> and the lowercase hex HMAC-SHA256, keyed with the
/// secret's UTF-8 bytes, of the timestamp's ASCII digits, a '.', and the exact body bytes. The timestamp is signed so
/// a captured request cannot be replayed later (receivers reject old timestamps, as Stripe's do); each attempt is
/// signed afresh.
/// </summary>
internal static class WebhookSignature
{
    public const string Prefix = "sha256=";

    public static string Sign(byte[] key, long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        Span<byte> signed = stackalloc byte[24];
        timestamp.TryFormat(signed, out var length, default, CultureInfo.InvariantCulture);
        signed[length++] = (byte)'.';
        hmac.AppendData(signed[..length]);
        hmac.AppendData(body);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        return Prefix + Convert.ToHexStringLower(mac);
    }
}
