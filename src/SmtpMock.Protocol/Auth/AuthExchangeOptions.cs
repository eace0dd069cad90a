using System.Security.Cryptography;

namespace SmtpMock.Protocol.Auth;

/// <summary>What an <see cref="AuthExchange"/> needs from the server around it.</summary>
internal sealed record AuthExchangeOptions
{
    public static AuthExchangeOptions Default { get; } = new();

    /// <summary>The server name in CRAM-MD5 challenges (<c>&lt;random.timestamp@hostname&gt;</c>, RFC 2195 §2).</summary>
    public string Hostname { get; init; } = "localhost";

    /// <summary>The clock for CRAM-MD5 challenge timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Makes the CRAM-MD5 challenge; tests set it to replay RFC 2195's example.</summary>
    public Func<string>? CramMd5Challenge { get; init; }

    internal string NewCramMd5Challenge()
    {
        if (CramMd5Challenge is not null)
        {
            return CramMd5Challenge();
        }

        var random = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        return $"<{random}.{TimeProvider.GetUtcNow().ToUnixTimeSeconds()}@{Hostname}>";
    }
}
