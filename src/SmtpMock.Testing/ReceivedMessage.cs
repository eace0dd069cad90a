using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Testing;

/// <summary>
/// A message the mock accepted: the envelope as plain strings (what a test asserts on most) and the content as a
/// MimeKit <see cref="MimeMessage"/>, parsed on first use. <see cref="Captured"/> has everything else.
/// </summary>
public sealed class ReceivedMessage
{
    internal ReceivedMessage(CapturedMessage captured) => Captured = captured;

    /// <summary>MAIL FROM's address; empty for a bounce (<c>MAIL FROM:&lt;&gt;</c>).</summary>
    public string From => Captured.Sender.Address;

    /// <summary>Every accepted RCPT TO address, in order: the real recipients, whatever the headers say.</summary>
    public IReadOnlyList<string> To => [.. Captured.Recipients.Select(r => r.Address)];

    /// <summary>The name the client gave in EHLO or HELO.</summary>
    public string HeloName => Captured.HeloName;

    /// <summary>It came over TLS (STARTTLS or the implicit TLS port), so a test can assert the app never sends in plaintext.</summary>
    public bool IsSecure => Captured.IsSecure;

    /// <summary>The TLS protocol it came over (<c>TLSv1.3</c>, <c>TLSv1.2</c>), or null for plaintext.</summary>
    public string? TlsProtocol => Captured.TlsProtocol;

    /// <summary>The TLS cipher suite it came over (<c>TLS_AES_256_GCM_SHA384</c>), or null for plaintext.</summary>
    public string? TlsCipherSuite => Captured.TlsCipherSuite;

    /// <summary>Who had logged in with AUTH when it was sent, or null when the client sent it without a login.</summary>
    public string? AuthenticatedUser => Captured.AuthenticatedUser;

    /// <summary>The SASL mechanism of that login (<c>PLAIN</c>, <c>LOGIN</c>, <c>CRAM-MD5</c>...), or null.</summary>
    public string? AuthMechanism => Captured.AuthMechanism;

    /// <summary>The content parsed by MimeKit (headers, body, attachments), once for this object.</summary>
    public MimeMessage Message => _message ??= Captured.Message;

    private MimeMessage? _message;

    /// <summary>The content exactly as received, after transparency dots were removed.</summary>
    public ReadOnlyMemory<byte> Raw => Captured.Raw;

    /// <summary>The server's record: id, session, time, client address, ESMTP parameters.</summary>
    public CapturedMessage Captured { get; }

    public override string ToString() => $"{From} -> {string.Join(", ", To)}: {Captured.Summary.Subject}";
}
