using System.IO.Pipelines;
using System.Net.Security;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Server.Security;

/// <summary>
/// Moves a session onto TLS: after STARTTLS's 220 is flushed (RFC 3207 §4.2) or on connect (implicit TLS, RFC 8314).
/// The plaintext pipes are ended and every byte still buffered in them is dropped unread, so a command pipelined
/// after STARTTLS is never answered (CVE-2011-0411); plaintext still in flight reaches the handshake as a bad
/// ClientHello and fails it. The session then continues on the returned pipes, with all its state reset.
/// </summary>
internal static class TlsUpgrade
{
    /// <summary>
    /// Ends the plaintext pipes, then runs the handshake on <paramref name="transport"/>. The pipes must leave the
    /// transport open; the reader must have no read pending and the STARTTLS line consumed (AdvanceTo past it);
    /// the writer must have flushed the 220.
    /// </summary>
    public static async Task<TlsConnection> StartTlsAsync(
        PipeReader plainInput, PipeWriter plainOutput, Stream transport, TlsSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Completing the reader drops its buffer unread; it must not read again (that could take handshake bytes).
        await plainInput.CompleteAsync().ConfigureAwait(false);
        await plainOutput.CompleteAsync().ConfigureAwait(false);
        return await ImplicitAsync(transport, settings, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the handshake on a fresh connection (the implicit TLS port) and makes pipes over it.</summary>
    public static async Task<TlsConnection> ImplicitAsync(Stream transport, TlsSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (stream, handshake) = await settings.AcceptAsync(transport, timeout, cancellationToken).ConfigureAwait(false);
        return stream is null
            ? new TlsConnection(handshake, null, null, null)
            : new TlsConnection(handshake, stream, PipeReader.Create(stream, PipeShape.Reader), PipeWriter.Create(stream, PipeShape.Writer));
    }
}

/// <summary>
/// The outcome of <see cref="TlsUpgrade"/>: on success the encrypted stream (dispose it when the session ends,
/// before the socket) and new pipes over it; on failure only the handshake's reason, and the session ends.
/// </summary>
/// <remarks>
/// How many plaintext octets were dropped is the session's to note: it is what was left in its read buffer past the
/// STARTTLS line (the pipe cannot say without reading again once the session examined it all).
/// </remarks>
internal sealed record TlsConnection(TlsHandshake Handshake, SslStream? Stream, PipeReader? Input, PipeWriter? Output);
