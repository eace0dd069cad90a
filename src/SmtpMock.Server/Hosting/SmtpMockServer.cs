using System.Net;
using System.Security.Cryptography.X509Certificates;
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
    private readonly Listeners _listeners;

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
        var connections = new Connections(options, Messages, Scenarios, _registry, _history, new SessionArchiver(Sessions, options.InstanceId, _logger), Observers, _certificate, _logger, _sessionLogger, _stopping.Token);
        _listeners = new Listeners(options, _sessionIds, connections, _logger, _stopping.Token);
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
    public IPEndPoint EndPoint => _listeners.EndPoint ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Where the implicit TLS listener is (with the real port when 0 was asked for), or null.</summary>
    public IPEndPoint? TlsEndPoint => _listeners.TlsEndPoint;

    /// <summary>Where each <see cref="SmtpServerOptions.ScenarioListeners"/> port listens (real ports when 0 was asked for), in their order.</summary>
    public IReadOnlyList<IPEndPoint> ScenarioEndPoints => _listeners.ScenarioEndPoints;

    /// <summary>The certificate STARTTLS and the TLS port present (generated when none was given), or null with TLS off.</summary>
    public X509Certificate2? TlsCertificate => _options.EnableTls ? _certificate.Settings().Certificate : null;

    /// <summary>
    /// Where the certificate came from, for the console: given (<c>--tls-cert</c>), kept in a file (reused or new), or
    /// made in memory. Known once <see cref="TlsCertificate"/> was first asked for.
    /// </summary>
    public string? TlsCertificateOrigin => _certificate.Origin;

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
        _listeners.Bind();
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

        _listeners.Start();
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
        await _listeners.StopAsync().ConfigureAwait(false);

        // No accept loop runs any more: the count only falls, and the session that takes it to zero says so.
        await Task.WhenAny(_registry.DrainedAsync(), Task.Delay(_options.ShutdownTimeout, _options.TimeProvider)).ConfigureAwait(false);

        // Bounces and replies not yet due are dropped; one being captured or delivered finishes.
        await _aftermath.StopAsync().ConfigureAwait(false);
        if (_listeners.Bound)
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

    /// <summary>A port for a scenario no file loaded is a mistake at start, not a surprise in a test later.</summary>
    private void CheckScenarioListeners()
    {
        var missing = _options.ScenarioListeners.Where(l => !Scenarios.IsLoaded(l.Scenario)).Select(l => $"{l.EndPoint.Port}={l.Scenario}").ToList();
        if (missing.Count > 0)
        {
            var loaded = Scenarios.Loaded.Count == 0 ? "no scenario files are loaded" : "the loaded ones are: " + string.Join(", ", Scenarios.Loaded.Select(s => s.Name));
            throw new ScenarioException($"no scenario for port {string.Join(", ", missing)}; {loaded}");
        }
    }

    private static partial class Log
    {
        // Debug: a host announces where it listens in its own words (the CLI prints smtp://HOST:PORT), once.
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "SmtpMock bound to {EndPoint} as {Hostname}")]
        public static partial void Bound(ILogger logger, string endPoint, string hostname);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "failure addresses on: try 503@smtpmock.test, 552-data@smtpmock.test, greylist@smtpmock.test, delay-10s@smtpmock.test, disconnect@smtpmock.test, hang@smtpmock.test, reset@smtpmock.test, slow-200bps@smtpmock.test, fragment@smtpmock.test; the same as MAIL FROM or AUTH user; EHLO 421.smtpmock.test or noauth.size1000.smtpmock.test (--no-simulator to turn off)")]
        public static partial void SimulatorOn(ILogger logger);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "SmtpMock stopped; {Captured} captured")]
        public static partial void Stopped(ILogger logger, string captured);

        [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "only {Limit} file descriptors (ulimit -n): SMTP serves {Capped} connections at once instead of --max-connections {Asked}, so HTTP keeps its share")]
        public static partial void ConnectionsCapped(ILogger logger, long limit, int capped, int asked);
    }
}
