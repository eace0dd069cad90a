using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The server's listening sockets: the plain port, the implicit TLS port (RFC 8314) and the ports of
/// <see cref="SmtpServerOptions.ScenarioListeners"/>. They all run the one accept loop, which hands each socket with its
/// session id to <see cref="Connections"/>; nothing a client does ends a loop, only the server's stop.
/// </summary>
internal sealed partial class Listeners(SmtpServerOptions options, SessionIds ids, Connections connections, ILogger logger, CancellationToken stopping)
{
    private readonly List<(Socket Socket, Task Loop)> _scenarioPorts = [];
    private Socket? _plain;
    private Task? _plainLoop;
    private Socket? _tls;
    private Task? _tlsLoop;

    /// <summary>The plain port was opened (the server started, and may since have stopped).</summary>
    public bool Bound => _plain is not null;

    /// <summary>Where the plain port listens, or null before <see cref="Bind"/>.</summary>
    public IPEndPoint? EndPoint => (IPEndPoint?)_plain?.LocalEndPoint;

    public IPEndPoint? TlsEndPoint => (IPEndPoint?)_tls?.LocalEndPoint;

    public IReadOnlyList<IPEndPoint> ScenarioEndPoints => [.. _scenarioPorts.Select(p => (IPEndPoint)p.Socket.LocalEndPoint!)];

    /// <summary>Opens the plain port (a port in use fails the start here), not yet accepting.</summary>
    public void Bind() => _plain = ServerSockets.Listen(options.EndPoint);

    /// <summary>Accepts on the plain port, then opens and accepts on the TLS port and each scenario port.</summary>
    public void Start()
    {
        _plainLoop = AcceptLoopAsync(_plain!, implicitTls: false, scenarioPort: null);
        if (options.ImplicitTlsPort is { } port)
        {
            _tls = ServerSockets.Listen(new IPEndPoint(options.EndPoint.Address, port));
            _tlsLoop = AcceptLoopAsync(_tls, implicitTls: true, scenarioPort: null);
        }

        foreach (var scenarioPort in options.ScenarioListeners)
        {
            var listener = ServerSockets.Listen(scenarioPort.EndPoint);
            _scenarioPorts.Add((listener, AcceptLoopAsync(listener, implicitTls: false, scenarioPort)));
        }
    }

    /// <summary>Closes every listening socket and waits for its loop (the server's stop was signalled first).</summary>
    public async Task StopAsync()
    {
        _plain?.Dispose();
        _tls?.Dispose();
        foreach (var (listener, _) in _scenarioPorts)
        {
            listener.Dispose();
        }

        await Task.WhenAll(new[] { _plainLoop, _tlsLoop }.OfType<Task>().Concat(_scenarioPorts.Select(p => p.Loop))).ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync(Socket listener, bool implicitTls, ScenarioListener? scenarioPort)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE, ECONNABORTED and friends: one failed accept never ends the loop.
                Log.AcceptFailed(logger, e);
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }

            long id;
            try
            {
                id = await ids.NextAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                return;
            }

            connections.Take(id, socket, implicitTls, scenarioPort);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Accept failed")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);
    }
}
