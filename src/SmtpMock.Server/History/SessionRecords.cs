using SmtpMock.Server.Session;

namespace SmtpMock.Server.History;

/// <summary>Snapshots of sessions as an archive keeps them (a finished one) or an API shows them (an open one too).</summary>
public static class SessionRecords
{
    /// <summary>What <paramref name="session"/> is now, served by <paramref name="instance"/>; its lines copied once.</summary>
    public static SessionRecord From(SessionContext session, string instance)
    {
        ArgumentNullException.ThrowIfNull(session);
        var lines = session.Transcript.Lines;
        return new SessionRecord
        {
            Id = session.Id,
            Instance = instance,
            Client = session.ClientText,
            StartedAt = session.StartedAt,
            EndedAt = session.EndedAt,
            HeloName = session.HeloName,
            Commands = session.Commands,
            Faults = lines.Count(IsFault),
            EndReason = session.EndReason,
            Tls = session.Tls is { Succeeded: true } tls ? tls.ToString() : null,
            AuthenticatedUser = session.AuthenticatedUser,
            Scenario = session.Scenario,
            ScenarioChosenBy = session.ScenarioChosenBy,
            Messages = [.. session.AcceptedMessages],
            Attempts = session.Attempts.Snapshot(session),
            Lines = lines,
            LineCount = lines.Count,
        };
    }

    /// <summary>The last line of a reply the server sent (<c>250 OK</c>, not <c>250-SIZE</c>).</summary>
    public static bool IsFinalReplyLine(TranscriptLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Direction == TranscriptDirection.Out && IsFinal(line.Text);
    }

    /// <summary>The last line of a reply (<c>250 OK</c>, not <c>250-SIZE</c>).</summary>
    internal static bool IsFinal(string text) => text.Length == 3 || (text.Length > 3 && text[3] == ' ');

    /// <summary>A reply a scenario rule wrote: counted once per reply (its last line) or per raw write.</summary>
    public static bool IsFault(TranscriptLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Rule is not null && line.Direction == TranscriptDirection.Out
            && (IsFinal(line.Text) || line.Text.StartsWith("(raw)", StringComparison.Ordinal));
    }
}
