using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Server.Aftermath;
using SmtpMock.Server.Capture;
using SmtpMock.Server.History;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Security;
using SmtpMock.Server.Session;
using SmtpMock.Server.Session.Events;
using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The server: listeners (plain, and TLS on connect), one <see cref="SmtpSession"/> per connection, the connection caps
/// with 421 4.7.0, and on stop 421 4.3.2 to open sessions. Nothing a client sends can stop it: every session's failure
/// stays in that session. What happens in sessions goes to <see cref="Observers"/> as typed events.
/// </summary>
public sealed partial class SmtpMockServer : IAsyncDisposable
{
    private readonly SmtpServerOptions _options;
    private readonly ILogger _logger;
    private readonly ILogger _sessionLogger;
    private readonly SessionHistory _history;
    private readonly SessionRegistry _registry;
    private readonly CancellationTokenSource _stopping = new();
    private readonly WebhookDispatcher? _webhooks;
    private readonly SessionIds _sessionIds;
    private readonly AftermathService _aftermath;
    private readonly ServerCertificate _certificate;
    private readonly Connections _connections;
    private Socket? _listener;
    private Task? _acceptLoop;

    public SmtpMockServer(SmtpServerOptions options, ILoggerFactory? loggers = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        loggers ??= NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger("SmtpMock.Server");
        _sessionLogger = loggers.CreateLogger("SmtpMock.Session");
        _history = new SessionHistory(options.MaxTranscripts, options.MaxTranscriptLinesKept);
        Sessions = options.SessionArchive ?? new MemorySessionArchive(options.MaxTranscripts, options.MaxTranscriptLinesKept);
        _sessionIds = new SessionIds(Sessions, _logger);
        Scenarios = new ScenarioHost(options, loggers.CreateLogger("SmtpMock.Scenarios"));
        Messages = options.MessageStore ?? MemoryMessageStore.Open(options.StoreDirectory, options.MaxStoredMessages, options.MaxStoredBytes, loggers.CreateLogger("SmtpMock.Store"), options.StoreShared);
        Descriptors = DescriptorBudget.For(options.MaxConnections);
        _registry = new SessionRegistry(Descriptors.SmtpConnections, options.MaxConnectionsPerAddress);
        _certificate = new ServerCertificate(options, _logger);
        _connections = new Connections(options, Messages, Scenarios, _registry, _history, new SessionArchiver(Sessions, options.InstanceId, _logger), Observers, _certificate, _logger, _sessionLogger, _stopping.Token);
        Metrics = new ServerMetrics(this);
        _aftermath = new AftermathService(Messages, new AftermathHost(options.Hostname, options.TimeProvider), options.Simulator, options.BounceTo, loggers.CreateLogger("SmtpMock.Aftermath"));
        Observers.Add(new SessionLog(_sessionLogger));
        Observers.Add(Metrics);
        if (options.Webhooks is { Targets.Count: > 0 } webhooks)
        {
            _webhooks = new WebhookDispatcher(webhooks with { InstanceId = webhooks.InstanceId ?? (options.InstanceId.Length > 0 ? options.InstanceId : null) }, loggers.CreateLogger("SmtpMock.Webhooks"), options.TimeProvider, Metrics.Meter);
            Observers.Add(new WebhookObserver(_webhooks));
            _aftermath.Generated += WebhookObserver.OnGenerated(_webhooks, options.TimeProvider);
        }

        Observers.Add(_aftermath);
        CheckScenarioListeners();
    }

    public SmtpServerOptions Options => _options;

    /// <summary>The loaded scenarios and the active one; activate another at any time for new sessions.</summary>
    public ScenarioHost Scenarios { get; }

    /// <summary>The captured messages: in memory, in a folder, or in the store the options gave.</summary>
    public IMessageStore Messages { get; }

    /// <summary>
    /// Finished sessions as the API serves them: this process's (memory, the default) or every instance's when the
    /// options gave a shared archive. <see cref="FinishedSessions"/> holds this process's own, with their live objects.
    /// </summary>
    public ISessionArchive Sessions { get; }

    /// <summary>Who is told what happens in sessions (typed events): add one to watch every session from now on.</summary>
    internal SessionObservers Observers { get; } = new();

    /// <summary>The server's instruments (System.Diagnostics.Metrics), one meter per server.</summary>
    public ServerMetrics Metrics { get; }

    /// <summary>Where the server listens (with the real port when port 0 was asked for).</summary>
    public IPEndPoint EndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>How the process's file descriptors are shared between SMTP and HTTP connections.</summary>
    public DescriptorBudget Descriptors { get; }

    /// <summary>Sessions currently open.</summary>
    public int ActiveSessions => _registry.Active;

    /// <summary>Sessions open now, by id.</summary>
    public IReadOnlyCollection<SessionContext> OpenSessions => _registry.Open;

    /// <summary>The transcripts of finished sessions, oldest first (the last <see cref="SmtpServerOptions.MaxTranscripts"/>).</summary>
    public IReadOnlyList<SessionContext> FinishedSessions => _history.Finished;

    /// <summary>The open or kept session with this id, or null.</summary>
    public SessionContext? FindSession(long id) => _registry.Find(id) ?? _history.Find(id);

    /// <summary>
    /// Forgets the kept transcripts of finished sessions, so a test fixture reused across tests starts each test
    /// with none (sessions still open are kept when they end).
    /// </summary>
    public void ClearFinishedSessions()
    {
        _history.Clear();
        if (Sessions is MemorySessionArchive own)
        {
            _ = own.ClearAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Raised after the server captured a message it generated itself about an accepted one (a bounce, an auto-reply,
    /// a complaint: <see cref="CapturedMessage.Origin"/> says which, and about which message), off the session's task.
    /// </summary>
    public event Action<CapturedMessage>? MessageGenerated
    {
        add => _aftermath.Generated += value;
        remove => _aftermath.Generated -= value;
    }

    /// <summary>Raised when a session has ended everywhere (closed, no longer open or counted), with its context and transcript.</summary>
    public event Action<SessionContext>? SessionEnded
    {
        add => _history.Ended += value;
        remove => _history.Ended -= value;
    }

    /// <summary>Completes when the session with this id has ended; cancel it to put a deadline on the wait.</summary>
    public Task<SessionContext> WaitForSessionEndAsync(long id, CancellationToken cancellationToken) =>
        _history.WaitForEndAsync(id, cancellationToken);

    /// <summary>Binds and starts accepting. Returns once the port is open.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Scenarios.JoinAsync(cancellationToken).ConfigureAwait(false);
        var listener = ServerSockets.Listen(_options.EndPoint);
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

        _acceptLoop = AcceptLoopAsync(listener, implicitTls: false);
        StartImplicitTls();
        StartScenarioListeners();
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
        await StopScenarioListenersAsync().ConfigureAwait(false);

        // No accept loop runs any more: the count only falls, and the session that takes it to zero says so.
        await Task.WhenAny(_registry.DrainedAsync(), Task.Delay(_options.ShutdownTimeout, _options.TimeProvider)).ConfigureAwait(false);

        // Bounces and replies not yet due are dropped; one being captured or delivered finishes.
        await _aftermath.StopAsync().ConfigureAwait(false);
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
        if (_webhooks is not null)
        {
            // After the sessions closed: their last events are queued, and delivery gets its drain time.
            await _webhooks.DisposeAsync().ConfigureAwait(false);
        }

        Scenarios.Dispose();
        Metrics.Dispose();
        _stopping.Dispose();
    }
}
