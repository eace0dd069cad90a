using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// The last word on one step of a session: the reply (or raw bytes, or silence), where the state goes, what it does
/// to the session, whether it stores the message, whether it counts as a bad command, and why the session closes.
/// </summary>
internal readonly record struct Verdict(SmtpReply Reply, SessionState Next, SessionEffect Effect)
{
    /// <summary>The rule whose reply, delay or close this is; null for the server's own verdict.</summary>
    public Intervention? Rule { get; init; }

    /// <summary>The rule asked for no reply at all.</summary>
    public bool Silent { get; init; }

    /// <summary>A message ends here and is kept: the server accepted it and so did any rule.</summary>
    public bool Stores { get; init; }

    public bool CountsAsBad { get; init; }

    /// <summary>Why the session closes after this reply, or null when it goes on.</summary>
    public string? CloseReason { get; init; }

    /// <summary>
    /// Merges the server's outcome with a rule's intervention. A rule's error reply leaves the state as an error does
    /// (RFC 5321 §4.1.4) and ends the transaction where the step ends one; its positive reply to a command the server
    /// accepts keeps the server's effect; a 421 closes. Only the server's own 500-504 replies count towards
    /// <paramref name="maxBadCommands"/>: past it the reply becomes 421 4.7.0 and the session closes.
    /// </summary>
    public static Verdict Decide(Outcome server, Intervention? rule, SessionState current, SmtpVerb? verb, int badCommands, int maxBadCommands)
    {
        if (rule is null)
        {
            if (server.Reply.Code is >= 500 and <= 504 && badCommands + 1 > maxBadCommands)
            {
                return new Verdict(StandardReplies.TooManyErrors, current, SessionEffect.Close) { CountsAsBad = true, CloseReason = "too many bad commands" };
            }

            return new Verdict(server.Reply, server.Next, server.Effect)
            {
                CountsAsBad = server.Reply.Code is >= 500 and <= 504,
                Stores = server.Effect == SessionEffect.EndTransaction && server.Reply.IsPositiveCompletion,
                CloseReason = ServerCloseReason(server),
            };
        }

        if (rule.Silent)
        {
            return new Verdict(server.Reply, current, SessionEffect.Close) { Rule = rule, Silent = true, CloseReason = $"closed without a reply by rule '{rule.Rule}'" };
        }

        var outcome = rule.Reply is { } reply ? Override(server, reply, current, verb) : server;
        return new Verdict(outcome.Reply, outcome.Next, outcome.Effect)
        {
            Rule = rule,
            Stores = outcome.Effect == SessionEffect.EndTransaction && server.Reply.IsPositiveCompletion && outcome.Reply.IsPositiveCompletion,
            CloseReason = rule.Close ? $"closed by rule '{rule.Rule}'" : ServerCloseReason(outcome),
        };
    }

    /// <summary>The same verdict with the server's own reply in place of a rule's (a message that could not be kept).</summary>
    public Verdict WithServerReply(SmtpReply reply) => this with { Reply = reply, Stores = false, Rule = Rule is null ? null : Rule with { Reply = null, Raw = null } };

    private static Outcome Override(Outcome server, SmtpReply reply, SessionState current, SmtpVerb? verb)
    {
        if (reply.Code == 421)
        {
            return new Outcome(reply, current, SessionEffect.Close);
        }

        if (reply.IsPositive)
        {
            // Accepting where the server accepts keeps its effect; "accepting" where it refuses changes only the words.
            return server.Reply.IsPositive ? server with { Reply = reply } : Outcome.Refuse(reply, current);
        }

        return server.Effect switch
        {
            // The end of a message, or a refused chunk of one: the transaction is over.
            SessionEffect.EndTransaction => new Outcome(reply, SessionState.Ready, SessionEffect.EndTransaction),
            _ when verb == SmtpVerb.Bdat && server.Reply.IsPositive => new Outcome(reply, SessionState.Ready, SessionEffect.EndTransaction),
            _ when verb == SmtpVerb.Rcpt => new Outcome(reply, current, SessionEffect.RejectRecipient),
            _ => Outcome.Refuse(reply, current),
        };
    }

    private static string? ServerCloseReason(Outcome outcome) => outcome.Effect != SessionEffect.Close ? null
        : outcome.Reply.Code == 221 ? "QUIT"
        : $"closed after {outcome.Reply.Code}";
}
