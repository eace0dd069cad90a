using SmtpMock.Server.Session;

namespace SmtpMock.Server.History;

/// <summary>Snapshots of sessions as an archive keeps them (a finished one) or an API shows them (an open one too).</summary>
public static class SessionRecords
{
    /// <summary>What <paramref name="session"/> is now, served by <paramref name="instance"/>; its lines are a view of its transcript, not a copy.</summary>
    public static SessionRecord From(SessionContext session, string instance)
    {
        ArgumentNullException.ThrowIfNull(session);
        var lines = session.Transcript.View();
        return new SessionRecord
        {
            Id = session.Id,
            Instance = instance,
            Client = session.ClientText,
            StartedAt = session.StartedAt,
            EndedAt = session.EndedAt,
            HeloName = session.HeloName,
            Commands = session.Commands,
            Faults = session.Transcript.RuleReplies,
            EndReason = session.EndReason,
            Tls = session.Tls is { Succeeded: true } tls ? tls.ToString() : null,
            AuthenticatedUser = session.AuthenticatedUser,
            Scenario = session.Scenario,
            ScenarioChosenBy = session.ScenarioChosenBy,
            Messages = [.. session.AcceptedMessages],
            Attempts = session.Attempts.Snapshot(),
            Lines = lines,
            LineCount = lines.Count,
        };
    }

    /// <summary>The last line of a reply the server sent (<c>250 OK</c>, not <c>250-SIZE</c>).</summary>
    public static bool IsFinalReplyLine(TranscriptLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Direction == TranscriptDirection.Out && Transcript.IsFinalReply(line.Text);
    }

    /// <summary>A reply a scenario rule wrote: counted once per reply (its last line) or per raw write.</summary>
    public static bool IsFault(TranscriptLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Rule is not null && line.Direction == TranscriptDirection.Out
            && (Transcript.IsFinalReply(line.Text) || line.Text.StartsWith("(raw)", StringComparison.Ordinal));
    }
}
