using System.Net;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Capture;
using SmtpMock.Server.History;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Security;
using SmtpMock.Server.Session;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.Hosting;

/// <summary>The one way to build a session: the listener, tests, the fuzzer and the benchmark all use it.</summary>
internal static class SessionFactory
{
    /// <summary>
    /// A session and the way it tells its events; <paramref name="tls"/> (null: no STARTTLS) upgrades the connection,
    /// <paramref name="implicitTls"/> is the handshake already done on the implicit TLS port. <paramref name="observers"/>
    /// are told every event (null: only a log of it). <paramref name="sessionOptions"/> is the server's one
    /// <see cref="SessionOptions.From"/> result, shared by its sessions (null: made here).
    /// </summary>
    public static (SmtpSession Session, SessionEvents Events) Create(SmtpServerOptions options, SessionRules? rules, IMessageStore store, long id, EndPoint? client, ILogger logger, ISessionObserver[]? observers = null, ITlsUpgrader? tls = null, TlsHandshake? implicitTls = null, SessionOptions? sessionOptions = null)
    {
        var transcript = new Transcript(options.TimeProvider, options.MaxTranscriptLines) { SessionId = id };
        var context = new SessionContext(id, client, options.TimeProvider.GetUtcNow(), transcript, DeliveryAttemptLog.BoundFor(options.MaxTranscriptLines)) { CanStartTls = tls is not null && options.EnableTls, Tls = implicitTls };
        var events = new SessionEvents(context, observers ?? [new SessionLog(logger)], options.TimeProvider, logger);
        return (new SmtpSession(sessionOptions ?? SessionOptions.From(options), rules ?? ScenarioRules.Plain(options), store, context, events, tls), events);
    }
}
