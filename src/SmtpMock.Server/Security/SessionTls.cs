using System.IO.Pipelines;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Security;

/// <summary>
/// One connection's TLS: STARTTLS for its session, or the handshake on the implicit TLS port, over the socket's
/// stream. It owns what the upgrade makes (the <see cref="System.Net.Security.SslStream"/> and its pipes) and
/// disposes them when the connection ends, before the socket's stream.
/// </summary>
internal sealed class SessionTls(Stream transport, Func<TlsSettings> settings) : ITlsUpgrader, IAsyncDisposable
{
    private TlsConnection? _connection;

    /// <summary>The encrypted pipes after a successful handshake.</summary>
    public PipeReader? Input => _connection?.Input;

    public PipeWriter? Output => _connection?.Output;

    public async Task<TlsConnection> StartTlsAsync(PipeReader plainInput, PipeWriter plainOutput, TimeSpan timeout, bool oldProtocols, CancellationToken shutdown) =>
        _connection = await TlsUpgrade.StartTlsAsync(plainInput, plainOutput, transport, oldProtocols ? settings().OnlyOldProtocols() : settings(), timeout, shutdown).ConfigureAwait(false);

    /// <summary>The handshake on connect (RFC 8314), before the greeting.</summary>
    public async Task<TlsConnection> ImplicitAsync(TimeSpan timeout, CancellationToken shutdown) =>
        _connection = await TlsUpgrade.ImplicitAsync(transport, settings(), timeout, shutdown).ConfigureAwait(false);

    /// <summary>
    /// Ends TLS as RFC 8446 §6.1 asks: what is buffered is flushed, then the close_notify alert goes out, before the
    /// socket closes. Without it a client that sent its own close_notify (Exim with GnuTLS sends it with QUIT) logs
    /// every delivery as "TLS connection was non-properly terminated". Bounded: a client that never reads cannot hold
    /// the connection open; what cannot be sent in time is dropped with the socket.
    /// </summary>
    public async ValueTask CloseAsync(TimeSpan timeout)
    {
        if (_connection is not { Stream: { } stream } connection)
        {
            return;
        }

        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            if (connection.Output is { } output)
            {
                await output.FlushAsync(deadline.Token).ConfigureAwait(false);
            }

            await stream.ShutdownAsync().WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException or NotSupportedException)
        {
            // The client is gone or does not read: the socket closes without the alert.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not { } connection)
        {
            return;
        }

        _connection = null;
        try
        {
            if (connection.Input is not null)
            {
                await connection.Input.CompleteAsync().ConfigureAwait(false);
            }

            if (connection.Output is not null)
            {
                await connection.Output.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // The connection is closed; what was not sent is not wanted.
        }

        if (connection.Stream is not null)
        {
            await connection.Stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
