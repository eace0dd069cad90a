using System.Net;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>The one way to build a session: the listener, tests, the fuzzer and the benchmark all use it.</summary>
internal static class SessionFactory
{
    public static SmtpSession Create(SmtpServerOptions options, SessionRules? rules, MessageStore store, long id, EndPoint? client, ILogger logger, TranscriptObserver? observer = null)
    {
        var transcript = new Transcript(options.TimeProvider, options.MaxTranscriptLines) { SessionId = id, Observer = observer };
        var context = new SessionContext(id, client, options.TimeProvider.GetUtcNow(), transcript);
        return new SmtpSession(options.ForSessions() with { SpoolDirectory = store.Directory?.Path }, rules ?? ScenarioRules.Plain(options), store, context, logger);
    }
}
