using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The listener: accepts connections, runs one <see cref="SmtpSession"/> per connection, enforces the connection
/// cap with 421 4.7.0, and on stop sends 421 4.3.2 to open sessions. Nothing a client sends can stop it: every
/// session's failure stays in that session.
/// </summary>
public sealed partial class SmtpMockServer : IAsyncDisposable
{
    private readonly SmtpServerOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ILogger _sessionLogger;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SessionHistory _history;
    private readonly SessionOptions _sessionOptions;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _sessionCount;
    private int _active;
    private readonly AddressCounter _perAddress;

    /// <summary>How long the close_notify of a TLS session may take to go out before the socket closes anyway.</summary>
    private static readonly TimeSpan TlsCloseTimeout = TimeSpan.FromSeconds(1);

    // Sessions whose connection is not wholly finished: ActiveSessions falls before SessionEnded is raised, this only
    // after the transcript is kept, so a stop never returns with the last session missing from FinishedSessions.
    private int _unfinished;

    public SmtpMockServer(SmtpServerOptions options, ILoggerFactory? loggers = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger("SmtpMock.Server");
        _sessionLogger = _loggers.CreateLogger("SmtpMock.Session");
        _onLine = OnLine;
        _history = new SessionHistory(options.MaxTranscripts, options.MaxTranscriptLinesKept);
        Scenarios = new ScenarioHost(options, _loggers.CreateLogger("SmtpMock.Scenarios"));
        Messages = MessageStore.Open(options.StoreDirectory, options.MaxStoredMessages, options.MaxStoredBytes, _loggers.CreateLogger("SmtpMock.Store"), options.StoreShared);
        Metrics = new ServerMetrics(this);
        Descriptors = DescriptorBudget.For(options.MaxConnections);
        _perAddress = new AddressCounter(options.MaxConnectionsPerAddress);
        _sessionOptions = SessionFactory.ForSessions(options, Messages);
    }

    public SmtpServerOptions Options => _options;

    /// <summary>The loaded scenarios and the active one; activate another at any time for new sessions.</summary>
    public ScenarioHost Scenarios { get; }

    /// <summary>The captured messages.</summary>
    public MessageStore Messages { get; }

    /// <summary>Where the server listens (with the real port when port 0 was asked for).</summary>
    public IPEndPoint EndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>How the process's file descriptors are shared between SMTP and HTTP connections.</summary>
    public DescriptorBudget Descriptors { get; }

    /// <summary>Sessions currently open.</summary>
    public int ActiveSessions => Volatile.Read(ref _active);

    /// <summary>The transcripts of finished sessions, oldest first (the last <see cref="SmtpServerOptions.MaxTranscripts"/>).</summary>
    public IReadOnlyList<SessionContext> FinishedSessions => _history.Finished;

    /// <summary>
    /// Forgets the kept transcripts of finished sessions, so a test fixture reused across tests starts each test
    /// with none (sessions still open are kept when they end).
    /// </summary>
    public void ClearFinishedSessions() => _history.Clear();

    /// <summary>Binds and starts accepting. Returns once the port is open.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var listener = new Socket(_options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_options.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 && _options.EndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            // No ReuseAddress: on Linux .NET maps it to SO_REUSEPORT as well, which lets a second server share the
            // port and take half the connections. .NET already sets SO_REUSEADDR on every TCP socket it binds on
            // Unix, so a restart on a port left in TIME_WAIT still binds at once (PortTests prove both).
            listener.Bind(_options.EndPoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        Scenarios.Watch();
        Log.Bound(_logger, EndPoint.ToString(), _options.Hostname);
        if (_options.Simulator)
        {
            Log.SimulatorOn(_logger);
        }

        if (Descriptors.SmtpConnections < _options.MaxConnections)
        {
            Log.ConnectionsCapped(_logger, Descriptors.Limit ?? 0, Descriptors.SmtpConnections, _options.MaxConnections);
        }

        _acceptLoop = AcceptLoopAsync(listener);
        StartImplicitTls();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting, sends 421 4.3.2 to every open session (an open transaction is discarded, every completed
    /// message is kept) and waits for them to close, at most <see cref="SmtpServerOptions.ShutdownTimeout"/>.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await StopImplicitTlsAsync().ConfigureAwait(false);

        // No accept loop runs any more: the count only falls, and the session that takes it to zero says so.
        if (Volatile.Read(ref _unfinished) == 0)
        {
            _drained.TrySetResult();
        }

        await Task.WhenAny(_drained.Task, Task.Delay(_options.ShutdownTimeout, _options.TimeProvider)).ConfigureAwait(false);
        if (_listener is not null)
        {
            // Only a server that started has stopped: a failed start says why, not "stopped".
            var count = Messages.TotalCaptured;
            Log.Stopped(_logger, count == 1 ? "1 message" : $"{count} messages");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Scenarios.Dispose();
        Metrics.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Raised when a session has ended, with its context (transcript included).</summary>
    public event Action<SessionContext>? SessionEnded
    {
        add => _history.Ended += value;
        remove => _history.Ended -= value;
    }

    /// <summary>Completes when the session with this id has ended; cancel it to put a deadline on the wait.</summary>
    public Task<SessionContext> WaitForSessionEndAsync(long id, CancellationToken cancellationToken) =>
        _history.WaitForEndAsync(id, cancellationToken);

    private async Task AcceptLoopAsync(Socket listener, bool implicitTls = false)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE, ECONNABORTED and friends: one failed accept never ends the loop.
                Log.AcceptFailed(_logger, e);
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }

            var id = Interlocked.Increment(ref _sessionCount);
            if (Interlocked.Increment(ref _active) > Descriptors.SmtpConnections)
            {
                Interlocked.Decrement(ref _active);
                _ = RefuseAsync(socket, StandardReplies.TooManyConnections);
                continue;
            }

            var address = (RemoteEndPoint(socket) as IPEndPoint)?.Address;
            if (address is not null && !_perAddress.TryEnter(address))
            {
                Interlocked.Decrement(ref _active);
                _ = RefuseAsync(socket, StandardReplies.TooManyFromAddress);
                continue;
            }

            Interlocked.Increment(ref _unfinished);
            _ = RunSessionAsync(id, socket, implicitTls, address);
        }
    }

    /// <summary>
    /// One connection, start to end. What stays per open connection is counted (docs/performance.md: idle
    /// connections): shutdown waits on the open-session count, not on a task kept for each session.
    /// </summary>
    private async Task RunSessionAsync(long id, Socket socket, bool implicitTls, IPAddress? address)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        var tls = TlsFor(stream);
        var input = PipeReader.Create(stream, PipeShape.Reader);
        var output = PipeWriter.Create(stream, PipeShape.Writer);
        var session = SessionFactory.Create(_options, Scenarios.Current, Messages, id, RemoteEndPoint(socket), _sessionLogger, _onLine, tls: implicitTls ? null : tls, sessionOptions: _sessionOptions);
        Opened(session.Context);
        try
        {
            socket.NoDelay = true;
            if (!implicitTls)
            {
                await session.RunAsync(input, output, _stopping.Token).ConfigureAwait(false);
            }
            else if (await HandshakeOnConnectAsync(session, tls!).ConfigureAwait(false))
            {
                await session.RunAsync(tls!.Input!, tls.Output!, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped during a handshake on the TLS port: there is no session to say 421 to yet.
        }
        catch (Exception e)
        {
            // A bug must cost one session, never the server.
            Log.SessionFailed(_logger, e, id);
        }
        finally
        {
            // TLS ends with the server's close_notify (RFC 8446 §6.1), bounded so a client that never reads cannot
            // hold it. Then the socket goes: completing the writer flushes what is left, and a client that never reads
            // would hold that flush (and the session) forever. Every reply that mattered was flushed already.
            if (tls is not null)
            {
                await tls.CloseAsync(TlsCloseTimeout).ConfigureAwait(false);
            }

            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already gone.
            }

            socket.Dispose();
            await CompleteQuietlyAsync(input.CompleteAsync()).ConfigureAwait(false);
            await CompleteQuietlyAsync(output.CompleteAsync()).ConfigureAwait(false);
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            // Ended before anyone is told: a SessionEnded handler sees it neither open nor counted active.
            _open.TryRemove(id, out _);
            if (address is not null)
            {
                _perAddress.Leave(address);
            }

            Interlocked.Decrement(ref _active);
            _history.Add(session.Context);
            if (Interlocked.Decrement(ref _unfinished) == 0 && _stopping.IsCancellationRequested)
            {
                _drained.TrySetResult();
            }
        }
    }
}
