using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// The last word on one step of a session: the reply (or raw bytes, or silence), what it does to the session (its
/// effect, which <see cref="StateTable"/> turns into the next state), whether it stores the message, whether it counts
/// as a bad command, and why the session closes.
/// </summary>
internal readonly record struct Verdict(SmtpReply Reply, SessionEffect Effect)
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
    /// (RFC 5321 §4.1.4), refuses a recipient at RCPT, ends an AUTH exchange at AUTH, and ends the transaction where the
    /// step ends one; its positive reply to a step the server accepts keeps the server's effect; a 421 closes. Only the
    /// server's own 500-504 replies count towards <paramref name="maxBadCommands"/>: past it the reply becomes 421 4.7.0
    /// and the session closes.
    /// </summary>
    public static Verdict Decide(Outcome server, Intervention? rule, SmtpVerb? verb, int badCommands, int maxBadCommands)
    {
        if (rule is null)
        {
            if (server.Reply.Code is >= 500 and <= 504 && badCommands + 1 > maxBadCommands)
            {
                return new Verdict(StandardReplies.TooManyErrors, SessionEffect.Close) { CountsAsBad = true, CloseReason = "too many bad commands" };
            }

            return new Verdict(server.Reply, server.Effect)
            {
                CountsAsBad = server.Reply.Code is >= 500 and <= 504,
                Stores = server.Effect == SessionEffect.EndTransaction && server.Reply.IsPositiveCompletion,
                CloseReason = ServerCloseReason(server),
            };
        }

        if (rule.Silent)
        {
            return new Verdict(server.Reply, SessionEffect.Close) { Rule = rule, Silent = true, CloseReason = RuleEnd(rule, " without a reply") };
        }

        var outcome = rule.Reply is { } reply ? Override(server, reply, verb) : server;
        return new Verdict(outcome.Reply, outcome.Effect)
        {
            Rule = rule,
            Stores = outcome.Effect == SessionEffect.EndTransaction && server.Reply.IsPositiveCompletion && outcome.Reply.IsPositiveCompletion,
            CloseReason = rule.Close || rule.Hang || rule.Reset ? RuleEnd(rule, string.Empty) : ServerCloseReason(outcome),
        };
    }

    /// <summary>The same verdict with the server's own reply in place of a rule's (a message that could not be kept).</summary>
    public Verdict WithServerReply(SmtpReply reply) => this with { Reply = reply, Stores = false, Rule = Rule is null ? null : Rule with { Reply = null, Raw = null } };

    private static Outcome Override(Outcome server, SmtpReply reply, SmtpVerb? verb)
    {
        if (reply.Code == 421)
        {
            return new Outcome(reply, SessionEffect.Close);
        }

        if (reply.IsPositive)
        {
            // Accepting where the server accepts keeps its effect; "accepting" where it refuses changes only the words
            // (and an AUTH exchange the server ended stays ended).
            return server.Reply.IsPositive ? server with { Reply = reply }
                : verb == SmtpVerb.Auth ? new Outcome(reply, SessionEffect.AuthEnded)
                : Outcome.Refuse(reply);
        }

        return server.Effect switch
        {
            // The end of a message, or a refused chunk of one: the transaction is over.
            SessionEffect.EndTransaction => new Outcome(reply, SessionEffect.EndTransaction),
            _ when verb == SmtpVerb.Bdat && server.Reply.IsPositive => new Outcome(reply, SessionEffect.EndTransaction),
            // A recipient refused in a transaction (an out-of-sequence RCPT answered by a rule is only refused).
            SessionEffect.AddRecipient or SessionEffect.RejectRecipient => new Outcome(reply, SessionEffect.RejectRecipient),
            // A refused AUTH step ends the exchange: the next line is a command again.
            _ when verb == SmtpVerb.Auth => new Outcome(reply, SessionEffect.AuthEnded),
            _ => Outcome.Refuse(reply),
        };
    }

    /// <summary>Why a rule ends the dialog: a close, a reset (TCP RST) or a hang.</summary>
    private static string RuleEnd(Intervention rule, string how) =>
        rule.Reset ? $"reset{how} by rule '{rule.Rule}'"
        : rule.Hang ? $"hung{how} by rule '{rule.Rule}'"
        : $"closed{how} by rule '{rule.Rule}'";

    private static string? ServerCloseReason(Outcome outcome) => outcome.Effect != SessionEffect.Close ? null
        : outcome.Reply.Code == 221 ? "QUIT"
        : $"closed after {outcome.Reply.Code}";
}
