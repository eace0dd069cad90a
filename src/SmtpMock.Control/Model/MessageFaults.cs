using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Control.Model;

/// <summary>
/// How many replies a scenario rule (or the failure simulator) wrote during one message's own transaction, from its
/// MAIL FROM to the reply that took it: a refused second recipient, a delayed or replaced reply. Counted in the kept
/// transcript of the session that sent it, so a fault in another message of the same connection is not this one's;
/// null once that session's transcript is forgotten (<c>MaxTranscripts</c>) or was cut before the message.
/// One instance serves one request and reads each session's transcript once.
/// </summary>
internal sealed class MessageFaults(SmtpMockServer server)
{
    private readonly Dictionary<long, (IReadOnlyList<TranscriptLine> Lines, bool Open)?> _sessions = [];

    public int? Of(CapturedMessage message)
    {
        if (!_sessions.TryGetValue(message.SessionId, out var session))
        {
            var found = server.FindSession(message.SessionId);
            _sessions[message.SessionId] = session = found is null ? null : (found.Transcript.Lines, found.EndedAt is null);
        }

        if (session is not { } kept)
        {
            return null;
        }

        var (lines, open) = kept;
        var stored = $"message {message.Id} stored";
        var note = FindLast(lines, lines.Count, l => l.Direction == TranscriptDirection.Note && l.Text == stored);
        if (note < 0 && !open)
        {
            return null;
        }

        // Captured, but the note comes right after: the message is the open session's latest, its reply not yet sent.
        var end = note < 0 ? lines.Count : AfterFinalReply(lines, note);
        var start = Math.Max(0, FindLast(lines, note < 0 ? lines.Count : note, l => l.Direction == TranscriptDirection.In && l.Text.StartsWith("MAIL", StringComparison.OrdinalIgnoreCase)));
        var faults = 0;
        for (var i = start; i < end; i++)
        {
            faults += SmtpMock.Server.History.SessionRecords.IsFault(lines[i]) ? 1 : 0;
        }

        return faults;
    }

    private static int FindLast(IReadOnlyList<TranscriptLine> lines, int before, Func<TranscriptLine, bool> match)
    {
        for (var i = before - 1; i >= 0; i--)
        {
            if (match(lines[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Just past the reply that ended the message (its last line), or the end of what is kept.</summary>
    private static int AfterFinalReply(IReadOnlyList<TranscriptLine> lines, int note)
    {
        for (var i = note + 1; i < lines.Count; i++)
        {
            if (SmtpMock.Server.History.SessionRecords.IsFinalReplyLine(lines[i]))
            {
                return i + 1;
            }
        }

        return lines.Count;
    }
}
