using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Security;
using SmtpMock.Server.Session;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// One accepted connection's life, start to end: admission (PROXY gate, connection caps with 421 4.7.0), the session
/// over the socket's pipes (TLS on connect on the TLS port), the close, then the registry, the history and the archive
/// in that order. A bug costs one session, never the server. What stays per open connection is counted
/// (docs/performance.md: idle connections): shutdown waits on the open-session count, not on a task kept per session.
/// </summary>
internal sealed partial class Connections
{
    private readonly SmtpServerOptions _options;
    private readonly SessionOptions _sessionOptions;
    private readonly IMessageStore _messages;
    private readonly ScenarioHost _scenarios;
    private readonly SessionRegistry _registry;
    private readonly SessionHistory _history;
    private readonly SessionArchiver _archiver;
    private readonly SessionObservers _observers;
    private readonly ProxyGate? _proxy;
    private readonly ILogger _logger;
    private readonly ILogger _sessionLogger;
    private readonly CancellationToken _stopping;

    /// <summary>One delegate for every session (a method group would allocate one per connection).</summary>
    private readonly Func<TlsSettings> _tlsSettings;

    public Connections(SmtpServerOptions options, IMessageStore messages, ScenarioHost scenarios, SessionRegistry registry, SessionHistory history,
        SessionArchiver archiver, SessionObservers observers, ServerCertificate certificate, ILogger logger, ILogger sessionLogger, CancellationToken stopping)
    {
        _options = options;
        _sessionOptions = SessionOptions.From(options);
        _messages = messages;
        _scenarios = scenarios;
        _registry = registry;
        _history = history;
        _archiver = archiver;
        _observers = observers;
        _proxy = options.ProxyProtocol is { } proxy ? new ProxyGate(proxy, options.TimeProvider, logger) : null;
        _tlsSettings = certificate.Settings;
        _logger = logger;
        _sessionLogger = sessionLogger;
        _stopping = stopping;
    }

    /// <summary>Takes an accepted socket: refused at the door, or its session started (not awaited).</summary>
    public void Take(long id, Socket socket, bool implicitTls, ScenarioListener? scenarioPort)
    {
        var peer = ServerSockets.RemoteEndPoint(socket);
        if (_proxy is not null && !_proxy.Admit(socket, peer))
        {
            return;
        }

        // Behind a PROXY balancer every connection comes from the balancer: the per-address cap waits for the header.
        if (_registry.Admit(_proxy is null ? (peer as IPEndPoint)?.Address : null) is { } refusal)
        {
            _ = ServerSockets.RefuseAsync(socket, refusal);
            return;
        }

        _ = _proxy is null
            ? RunSessionAsync(id, socket, new NetworkStream(socket, ownsSocket: true), implicitTls, peer, note: null, scenarioPort)
            : RunProxiedAsync(id, socket, implicitTls, peer, scenarioPort);
    }

    /// <summary>A connection that must start with a PROXY header: read it, then count its real client against the per-address cap.</summary>
    private async Task RunProxiedAsync(long id, Socket socket, bool implicitTls, EndPoint? peer, ScenarioListener? scenarioPort)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        var proxied = await _proxy!.ReadAsync(stream, peer, _stopping).ConfigureAwait(false);
        var address = (proxied?.Client as IPEndPoint)?.Address;
        if (proxied is null || (address is not null && !_registry.EnterAddress(address)))
        {
            _registry.Dropped();
            if (proxied is not null)
            {
                await ServerSockets.RefuseAsync(socket, StandardReplies.TooManyFromAddress).ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await RunSessionAsync(id, socket, proxied.Stream, implicitTls, proxied.Client, proxied.Note, scenarioPort).ConfigureAwait(false);
    }

    private async Task RunSessionAsync(long id, Socket socket, Stream stream, bool implicitTls, EndPoint? client, string? note, ScenarioListener? scenarioPort)
    {
        var address = (client as IPEndPoint)?.Address;
        var tls = _options.EnableTls ? new SessionTls(stream, _tlsSettings) : null;
        var input = PipeReader.Create(stream, PipeShape.Reader);
        var output = PipeWriter.Create(stream, PipeShape.Writer);
        var (session, events) = SessionFactory.Create(_options, RulesFor(scenarioPort, socket), _messages, id, client, _sessionLogger, _observers.Snapshot(), tls: implicitTls ? null : tls, sessionOptions: _sessionOptions);
        _registry.Opened(session.Context);
        events.Started();
        if (note is not null)
        {
            events.Note(note);
        }
        try
        {
            socket.NoDelay = true;
            if (!implicitTls)
            {
                await session.RunAsync(input, output, _stopping).ConfigureAwait(false);
            }
            else if (await HandshakeOnConnectAsync(session, tls!).ConfigureAwait(false))
            {
                await session.RunAsync(tls!.Input!, tls.Output!, _stopping).ConfigureAwait(false);
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
            if (session.Context.ResetOnClose)
            {
                ServerSockets.Reset(socket);
            }
            else
            {
                await ServerSockets.CloseOrderlyAsync(socket, tls).ConfigureAwait(false);
            }

            await ServerSockets.CompleteQuietlyAsync(input.CompleteAsync()).ConfigureAwait(false);
            await ServerSockets.CompleteQuietlyAsync(output.CompleteAsync()).ConfigureAwait(false);
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            // Ended before anyone is told: a SessionEnded observer sees it neither open nor counted active.
            _registry.Closed(id, address);
            // Kept here at once (never neither open nor kept), announced once the archive has it too.
            _history.Add(session.Context, announce: false);
            await _archiver.SaveAsync(session.Context).ConfigureAwait(false);
            _history.Announce(session.Context);
            events.Ended();
            _registry.Finished();
        }
    }

    /// <summary>The handshake on the TLS port, before the greeting; a failed one ends only this session, noted in its transcript.</summary>
    private async Task<bool> HandshakeOnConnectAsync(SmtpSession session, SessionTls tls)
    {
        var connection = await tls.ImplicitAsync(_options.CommandTimeout, _stopping).ConfigureAwait(false);
        if (!connection.Handshake.Succeeded)
        {
            session.EndBeforeGreeting(connection.Handshake.ToString(), "TLS handshake failed");
            return false;
        }

        session.BeginOverTls(connection.Handshake);
        return true;
    }

    /// <summary>The rules a new session starts with: its port's scenario, or the active one.</summary>
    private SessionRules RulesFor(ScenarioListener? port, Socket socket) =>
        port is not null && _scenarios.RulesFor(port.Scenario) is { } rules
            ? rules with { ChosenBy = $"port {((IPEndPoint?)socket.LocalEndPoint)?.Port}" }
            : _scenarios.Current;

    private static partial class Log
    {
        [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Session {Session} failed")]
        public static partial void SessionFailed(ILogger logger, Exception exception, long session);
    }
}
