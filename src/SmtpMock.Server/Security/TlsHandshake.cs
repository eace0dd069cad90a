using System.Net.Security;
using System.Security.Authentication;

namespace SmtpMock.Server.Security;

/// <summary>
/// How a server-side TLS handshake ended. A failed one is a value, not an exception: a client that sends garbage
/// or never finishes ends only its own session.
/// </summary>
public sealed record TlsHandshake
{
    private TlsHandshake(bool succeeded, string protocol, string cipherSuite, string? error)
    {
        Succeeded = succeeded;
        Protocol = protocol;
        CipherSuite = cipherSuite;
        Error = error;
    }

    public bool Succeeded { get; }

    /// <summary>As OpenSSL and Postfix log it: <c>TLSv1.3</c>, <c>TLSv1.2</c>; empty on failure.</summary>
    public string Protocol { get; }

    /// <summary>The IANA name, e.g. <c>TLS_AES_256_GCM_SHA384</c>; empty on failure.</summary>
    public string CipherSuite { get; }

    /// <summary>Why the handshake failed (for the transcript), or null.</summary>
    public string? Error { get; }

    /// <summary>One line for a transcript: <c>TLSv1.3 TLS_AES_256_GCM_SHA384</c> or <c>TLS handshake failed: ...</c>.</summary>
    public override string ToString() => Succeeded ? $"{Protocol} {CipherSuite}" : $"TLS handshake failed: {Error}";

    internal static TlsHandshake From(SslStream stream) =>
        new(true, ProtocolName(stream.SslProtocol), stream.NegotiatedCipherSuite.ToString(), null);

    /// <summary>A handshake that succeeded with this protocol and cipher (a test's stand-in for a real one).</summary>
    internal static TlsHandshake Made(string protocol, string cipherSuite) => new(true, protocol, cipherSuite, null);

    internal static TlsHandshake Failed(string error) => new(false, string.Empty, string.Empty, error);

    internal static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };
}
