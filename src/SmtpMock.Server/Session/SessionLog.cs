using Microsoft.Extensions.Logging;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.Session;

/// <summary>
/// What sessions tell the console, as an observer of their events. At Information: one line per session, one per
/// captured message, one per rule that fired; at Debug every line in and out.
/// </summary>
internal sealed partial class SessionLog(ILogger logger) : ISessionObserver
{
    public void OnCommandReceived(in CommandReceived e) => LineIn(logger, e.Session.Id, e.Shown);

    public void OnReplySent(in ReplySent e)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        if (e.Raw is { } raw)
        {
            LineOut(logger, e.Session.Id, "(raw) " + raw);
            return;
        }

        var lines = e.Reply.WireLines;
        for (var i = 0; i < lines.Count; i++)
        {
            LineOut(logger, e.Session.Id, lines[i]);
        }
    }

    public void OnRuleFired(in RuleFired e) =>
        LogRuleFired(logger, e.Session.Id, e.Rule, e.Point.Name(), e.Reply is not { } reply ? "no reply" : e.Raw ? "raw bytes" : reply.WireLines[^1]);

    public void OnNoteAdded(in NoteAdded e) => Note(logger, e.Session.Id, e.Text);

    public void OnMessageAnswered(in MessageAnswered e)
    {
        if (e.Message is { } message && logger.IsEnabled(LogLevel.Information))
        {
            logger.Log(LogLevel.Information, MessageCapturedEvent, new MessageCapturedLog(e.Session.Id, message, Subject(message)), null, MessageCapturedLog.Formatter);
        }
    }

    public void OnSessionEnded(in SessionEnded e)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var session = e.Session;
            var elapsed = (long)((session.EndedAt ?? e.At) - session.StartedAt).TotalMilliseconds;
            LogSessionEnded(logger, session.Id, session.ClientText, Count(session.Commands, "command"), Count(session.AcceptedMessages.Count, "message"), session.BadCommands, session.EndReason ?? "ended", elapsed);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Session {Session} from {Client}: {Commands}, {Messages} accepted, {Bad} refused as bad; ended: {Reason} ({Elapsed} ms)")]
    private static partial void LogSessionEnded(ILogger logger, long session, string client, string commands, string messages, int bad, string reason, long elapsed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "[{Session}] C: {Line}")]
    private static partial void LineIn(ILogger logger, long session, string line);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "[{Session}] S: {Line}")]
    private static partial void LineOut(ILogger logger, long session, string line);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "[{Session}] -- {Note}")]
    private static partial void Note(ILogger logger, long session, string note);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "[{Session}] message {Id} was refused with 451 4.3.0: it could not be stored: {Reason}")]
    public static partial void StoreFailed(ILogger logger, long session, string id, string reason);

    /// <summary>Event 6, written by hand with <see cref="MessageCapturedLog"/> (the format is there).</summary>
    private static readonly EventId MessageCapturedEvent = new(6, "MessageCaptured");

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "[{Session}] rule '{Rule}' answered {Point}: {Reply}")]
    private static partial void LogRuleFired(ILogger logger, long session, string rule, string point, string reply);

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
