using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Session;

/// <summary>Source-generated log messages of a session: one line per session at Information, every line at Debug.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Session {Session} from {Client}: {Commands} commands, {Messages} messages accepted, {Bad} refused as bad; ended: {Reason} ({Elapsed} ms)")]
    public static partial void SessionEnded(ILogger logger, long session, string client, int commands, int messages, int bad, string reason, long elapsed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "[{Session}] C: {Line}")]
    public static partial void LineIn(ILogger logger, long session, string line);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "[{Session}] S: {Line}")]
    public static partial void LineOut(ILogger logger, long session, string line);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "[{Session}] -- {Note}")]
    public static partial void Note(ILogger logger, long session, string note);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "[{Session}] message {Id} could not be stored")]
    public static partial void StoreFailed(ILogger logger, Exception exception, long session, string id);
}
