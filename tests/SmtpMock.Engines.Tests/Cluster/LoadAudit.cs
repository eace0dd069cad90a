namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// A <see cref="ClusterLoad"/>'s attempts held against what the store holds, by attempt id: each accepted attempt
/// stored exactly once, no refused one stored, nothing stored that no attempt sent, no attempt stored twice. A lost
/// attempt (no reply) may be stored once: the store took it and the connection died before the 250 reached the
/// client, SMTP's at-least-once window (RFC 1047); those are counted, not failed, as are the messages stored more
/// than once because of them (a lost attempt and its accepted retry).
/// </summary>
internal sealed record LoadAudit(
    int Attempts,
    int Accepted,
    int Refused,
    int Lost,
    int LostButStored,
    int MessagesStoredTwice,
    int Stored,
    IReadOnlyList<string> Problems)
{
    public static LoadAudit Of(IReadOnlyCollection<Attempt> attempts, IReadOnlyDictionary<string, int> stored)
    {
        var problems = new List<string>();
        var byId = attempts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        int Count(Attempt a) => stored.GetValueOrDefault(a.Id);

        foreach (var a in attempts.Where(a => a.Outcome == AttemptOutcome.Accepted && Count(a) != 1))
        {
            problems.Add($"{a.Id} acknowledged with 250 but stored {Count(a)} times");
        }

        foreach (var a in attempts.Where(a => a.Outcome == AttemptOutcome.Refused && Count(a) != 0))
        {
            problems.Add($"{a.Id} refused ({a.Code} {a.Reply}) but stored {Count(a)} times");
        }

        foreach (var a in attempts.Where(a => a.Outcome == AttemptOutcome.Lost && Count(a) > 1))
        {
            problems.Add($"{a.Id} (no reply: {a.Reply}) stored {Count(a)} times");
        }

        foreach (var (subject, count) in stored.Where(s => !byId.ContainsKey(s.Key)))
        {
            problems.Add($"'{subject}' stored {count} times but no attempt sent it");
        }

        var lostButStored = attempts.Count(a => a.Outcome == AttemptOutcome.Lost && Count(a) == 1);
        var storedTwice = attempts.Where(a => Count(a) > 0).GroupBy(a => a.Message).Count(g => g.Count() > 1);
        return new LoadAudit(
            attempts.Count,
            attempts.Count(a => a.Outcome == AttemptOutcome.Accepted),
            attempts.Count(a => a.Outcome == AttemptOutcome.Refused),
            attempts.Count(a => a.Outcome == AttemptOutcome.Lost),
            lostButStored,
            storedTwice,
            stored.Values.Sum(),
            problems);
    }

    /// <summary>The first problems, for a failure message (a broken run can have thousands).</summary>
    public string FirstProblems => string.Join(Environment.NewLine, Problems.Take(20)) + (Problems.Count > 20 ? $"{Environment.NewLine}... {Problems.Count - 20} more" : "");

    public override string ToString() =>
        $"{Attempts} attempts: {Accepted} acknowledged (250), {Refused} refused, {Lost} without a reply ({LostButStored} of them stored: " +
        $"the in-flight window; {MessagesStoredTwice} messages stored twice because of it); {Stored} rows in PostgreSQL";
}
