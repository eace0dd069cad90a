using Microsoft.AspNetCore.WebUtilities;
using SmtpMock.Control.Model;
using SmtpMock.Server.Capture;

namespace SmtpMock.Fuzz;

/// <summary>
/// A query string through what GET /api/v1/messages and /messages/wait read of it: the filter (to, from, subject, tag,
/// since, q, tls, auth, user, mechanism), limit, count, timeout and cursor. Each check either accepts with a value in
/// its bounds or gives a reason that serialises as the 400's problem; an accepted filter (a <see cref="MessageQuery"/>)
/// is applied to a message as the memory store applies it (<see cref="QueryMatcher"/>); a to= term that names the
/// message's recipient must match it.
/// </summary>
internal static class HttpQueryCheck
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    public static void Run(string query, CapturedMessage kept)
    {
        // The values as the framework binds them to the handlers' string parameters (a repeated name joined by commas).
        var values = QueryHelpers.ParseQuery("?" + query);
        string? Bound(string name) => values.TryGetValue(name, out var value) ? value.ToString() : null;
        var given = new MessageFilter
        {
            To = Bound("to"), From = Bound("from"), Subject = Bound("subject"), Q = Bound("q"), Tag = Bound("tag"),
            GeneratedFrom = Bound("generatedFrom"), Since = Bound("since"), Tls = Bound("tls"), Auth = Bound("auth"),
            User = Bound("user"), Mechanism = Bound("mechanism"),
        };
        var filtered = given.TryQuery(out var filter, out var error);
        Decided("filter", filtered, error);
        if (filtered)
        {
            _ = QueryMatcher.Matches(filter, kept);
            if (filter.Terms.FirstOrDefault(t => t.Field == QueryField.Recipient)?.Value is { } to
                && kept.Recipients[0].Address.Contains(to, StringComparison.OrdinalIgnoreCase)
                && !QueryMatcher.Matches(MessageQuery.All.With(QueryField.Recipient, to), kept))
            {
                throw new OracleViolation($"to={to} does not match a message to {kept.Recipients[0].Address}");
            }
        }

        var ok = QueryValues.TryInt(Bound("limit"), "limit", 50, 1, 1000, out var limit, out error);
        Decided("limit", ok, error);
        Within("limit", ok, limit, 1, 1000);
        ok = QueryValues.TryInt(Bound("count"), "count", 1, 1, 10_000, out var count, out error);
        Decided("count", ok, error);
        Within("count", ok, count, 1, 10_000);
        ok = QueryValues.TryTimeout(Bound("timeout"), MaxWait, out var timeout, out error);
        Decided("timeout", ok, error);
        if (ok && (timeout < TimeSpan.Zero || timeout > MaxWait))
        {
            throw new OracleViolation($"a timeout of {timeout} accepted (0 to {MaxWait})");
        }

        _ = QueryValues.Text(Bound("cursor"));
    }

    private static void Decided(string what, bool accepted, string? error)
    {
        if (accepted != error is null)
        {
            throw new OracleViolation($"{what}: accepted {accepted} with reason '{error}'");
        }

        if (error is not null)
        {
            HttpTarget.Problem(error);
        }
    }

    private static void Within(string what, bool accepted, int value, int min, int max)
    {
        if (accepted && (value < min || value > max))
        {
            throw new OracleViolation($"{what} {value} accepted ({min} to {max})");
        }
    }
}
