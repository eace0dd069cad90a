using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Whether a rule's <c>when:</c> holds at a point: a pure function of the conditions, the counts and the session's facts.
/// It keeps no state; the counts come from the session's view and, for <c>per: server</c>, from the scenario state.
/// </summary>
internal static class RuleMatches
{
    public static bool Holds(RuleConditions when, ScenarioEngine.PointHits hits, long serverCount, ScenarioPoint counted, ScenarioPoint point, SessionContext session, SmtpCommand? command)
    {
        if (when.Session is { } sessions && !sessions.Contains(session.Id))
        {
            return false;
        }

        if (when.Nth is { } nth)
        {
            var count = when.Per switch
            {
                CountScope.Transaction => hits.Transaction[(int)counted],
                CountScope.Server => serverCount,
                _ => hits.Session[(int)counted],
            };
            if (count != nth)
            {
                return false;
            }
        }

        if (when.Argument is { } argument && (command is null || !argument.IsMatch(command.Argument)))
        {
            return false;
        }

        if (when.Sender is { } sender)
        {
            var address = point == ScenarioPoint.Mail ? command?.Path?.Address : session.Sender?.Address;
            if (address is null || !sender.IsMatch(address))
            {
                return false;
            }
        }

        if ((when.Tls is { } tls && session.IsSecure != tls)
            || (when.Mechanism is { } mechanism && !string.Equals(session.AuthMechanism, mechanism, StringComparison.OrdinalIgnoreCase))
            || (when.User is { } user && (session.AuthUser is null || !user.IsMatch(session.AuthUser))))
        {
            return false;
        }

        if (when.Recipient is { } recipient)
        {
            var matched = point == ScenarioPoint.Rcpt
                ? command?.Path is { } path && recipient.IsMatch(path.Address)
                : session.Recipients.Any(r => recipient.IsMatch(r.Address));
            if (!matched)
            {
                return false;
            }
        }

        return when.Parameter is not { } keyword || (command?.Parameters.Any(p => p.Keyword == keyword) ?? false);
    }
}
