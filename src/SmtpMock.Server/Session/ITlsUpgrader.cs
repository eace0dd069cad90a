using System.IO.Pipelines;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Session;

/// <summary>
/// The session's way to its transport for STARTTLS: the listener gives one per connection (over the socket's
/// stream), tests give a fake. A session without one does not offer STARTTLS.
/// </summary>
internal interface ITlsUpgrader
{
    /// <summary>
    /// Ends the plaintext pipes (dropping what they buffer unread) and runs the server handshake, bounded by
    /// <paramref name="timeout"/>; a failed handshake is a value, only <paramref name="shutdown"/> throws.
    /// <paramref name="oldProtocols"/> offers only TLS 1.0 and 1.1 (<c>tls: old</c>), which current clients refuse.
    /// </summary>
    Task<TlsConnection> StartTlsAsync(PipeReader plainInput, PipeWriter plainOutput, TimeSpan timeout, bool oldProtocols, CancellationToken shutdown);
}
