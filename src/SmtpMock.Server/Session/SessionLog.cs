using Microsoft.Extensions.Logging;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Session;

/// <summary>
/// What a session tells the console. At Information: one line per session, one per captured message, one per rule
/// that answered; at Debug every line in and out.
/// </summary>
internal static partial class SessionLog
{
    public static void SessionEnded(ILogger logger, SessionContext session, long elapsed)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            SessionEnded(logger, session.Id, session.ClientText, Count(session.Commands, "command"), Count(session.AcceptedMessages.Count, "message"), session.BadCommands, session.EndReason ?? "ended", elapsed);
        }
    }

    public static void MessageCaptured(ILogger logger, long session, CapturedMessage message)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.Log(LogLevel.Information, MessageCapturedEvent, new MessageCapturedLog(session, message, Subject(message)), null, MessageCapturedLog.Formatter);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Session {Session} from {Client}: {Commands}, {Messages} accepted, {Bad} refused as bad; ended: {Reason} ({Elapsed} ms)")]
    private static partial void SessionEnded(ILogger logger, long session, string client, string commands, string messages, int bad, string reason, long elapsed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "[{Session}] C: {Line}")]
    public static partial void LineIn(ILogger logger, long session, string line);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "[{Session}] S: {Line}")]
    public static partial void LineOut(ILogger logger, long session, string line);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "[{Session}] -- {Note}")]
    public static partial void Note(ILogger logger, long session, string note);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "[{Session}] message {Id} was refused with 451 4.3.0: it could not be stored: {Reason}")]
    public static partial void StoreFailed(ILogger logger, long session, string id, string reason);

    /// <summary>Event 6, written by hand with <see cref="MessageCapturedLog"/> (the format is there).</summary>
    private static readonly EventId MessageCapturedEvent = new(6, nameof(MessageCaptured));

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "[{Session}] rule '{Rule}' answered {Point}: {Reply}")]
    public static partial void RuleFired(ILogger logger, long session, string rule, string point, string reply);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information,
        Message = "[{Session}] a lone '.' ended by a bare LF does not end DATA (SMTP needs CRLF.CRLF): the client waits; use telnet or 'nc -C'")]
    public static partial void BareLfDot(ILogger logger, long session);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>The Subject header only (see <see cref="SubjectReader"/>).</summary>
    private static string Subject(CapturedMessage message)
    {
        try
        {
            return SubjectReader.Read(message) ?? "(no subject)";
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            return "(unreadable headers)";
        }
    }
}
