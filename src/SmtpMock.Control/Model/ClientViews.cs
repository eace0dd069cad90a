using SmtpMock.Server.History;

namespace SmtpMock.Control.Model;

internal sealed record Attempt(long SessionId, DateTimeOffset At, string Reply, string? Rule, double? GapSeconds);

internal sealed record ClientGroup(string Key, string Client, string Sender, string Recipient, Attempt[] Attempts);

/// <summary>
/// Delivery attempts grouped by client key (client IP + MAIL FROM + RCPT TO, the key a greylisting rule counts), each
/// with its time, the reply it got and the gap since the previous attempt, so a test can assert how a client retried.
/// </summary>
internal static class ClientViews
{
    /// <summary>The groups of <paramref name="sessions"/>' attempts since <paramref name="since"/>, the sender and recipient filters substrings (any case).</summary>
    public static ClientGroup[] Groups(IEnumerable<SessionRecord> sessions, DateTimeOffset since, string? sender, string? recipient)
    {
        var attempts = sessions.DistinctBy(s => s.Id)
            .SelectMany(s => s.Attempts.Select(a => (SessionId: s.Id, Attempt: a)))
            .Where(a => a.Attempt.At >= since)
            .Where(a => (sender is null || a.Attempt.Sender.Contains(sender, StringComparison.OrdinalIgnoreCase))
                && (recipient is null || a.Attempt.Recipient.Contains(recipient, StringComparison.OrdinalIgnoreCase)));
        return attempts
            .GroupBy(a => (a.Attempt.ClientAddress, a.Attempt.Sender, a.Attempt.Recipient))
            .Select(g =>
            {
                var ordered = g.OrderBy(a => a.Attempt.At).ToList();
                var items = ordered.Select((a, i) => new Attempt(a.SessionId, ApiTime.Utc(a.Attempt.At), a.Attempt.Reply, a.Attempt.Rule, i == 0 ? null : Math.Round((a.Attempt.At - ordered[i - 1].Attempt.At).TotalSeconds, 3))).ToArray();
                return new ClientGroup($"{g.Key.ClientAddress}|{g.Key.Sender}|{g.Key.Recipient}", g.Key.ClientAddress, g.Key.Sender, g.Key.Recipient, items);
            })
            .OrderBy(g => g.Attempts[0].At)
            .ToArray();
    }
}
