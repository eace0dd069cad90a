using SmtpMock.Server.History;
using SmtpMock.Server.Session;

namespace SmtpMock.Control.Model;

/// <summary>What the API shows of a session: the list's summary and the detail with its transcript.</summary>
internal static class SessionViews
{
    public static SessionSummary Summary(SessionRecord session) => new(
        session.Id,
        session.Client,
        ApiTime.Utc(session.StartedAt),
        session.EndedAt is { } ended ? ApiTime.Utc(ended) : null,
        session.HeloName,
        session.Commands,
        session.Messages.Count,
        session.Faults,
        session.EndReason,
        session.Instance,
        session.Scenario,
        session.ScenarioChosenBy);

    public static SessionDetail Detail(SessionRecord session)
    {
        var s = Summary(session);
        return new SessionDetail(
            s.Id, s.Client, s.StartedAt, s.EndedAt, s.HeloName, s.Commands, s.Messages, s.Faults, s.EndReason, s.Instance,
            session.Tls, session.AuthenticatedUser, s.Scenario, s.ScenarioChosenBy,
            [.. session.Messages],
            [.. session.Lines.Select(l => new TranscriptEntry(ApiTime.Utc(l.At), Direction(l.Direction), l.Text, l.Rule))]);
    }

    public static string Direction(TranscriptDirection direction) => direction switch
    {
        TranscriptDirection.In => "in",
        TranscriptDirection.Out => "out",
        _ => "note",
    };
}
