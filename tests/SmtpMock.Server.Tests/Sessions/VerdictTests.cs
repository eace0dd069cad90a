using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests.Sessions;

/// <summary>The verdict step is a plain function: server outcome, rule intervention and bad-command limit in, verdict out.</summary>
public class VerdictTests
{
    private static readonly Outcome RcptAccepted = new(StandardReplies.RecipientOk, SessionEffect.AddRecipient);
    private static readonly Outcome MessageAccepted = new(StandardReplies.MessageAccepted("id"), SessionEffect.EndTransaction);

    private static Intervention Rule(int? code = null) =>
        new("r", 3) { Reply = code is { } c ? new SmtpReply(c, c >= 400 ? $"{c / 100}.0.0" : null, "rule") : null };

    [Test]
    public void The_servers_own_verdict_passes_through_and_a_5xx_counts_as_bad()
    {
        var ok = Verdict.Decide(RcptAccepted, null, SmtpVerb.Rcpt, 0, 20);
        Assert.That((ok.Reply, ok.Effect, ok.CountsAsBad, ok.CloseReason), Is.EqualTo((StandardReplies.RecipientOk, SessionEffect.AddRecipient, false, (string?)null)));

        var bad = Verdict.Decide(Outcome.Refuse(StandardReplies.MailFirst), null, SmtpVerb.Rcpt, 3, 20);
        Assert.That((bad.Reply.Code, bad.Effect, bad.CountsAsBad), Is.EqualTo((503, SessionEffect.None, true)));
    }

    [Test]
    public void Past_the_bad_command_limit_the_reply_becomes_421_and_the_session_closes()
    {
        var verdict = Verdict.Decide(Outcome.Refuse(StandardReplies.CommandUnrecognized), null, SmtpVerb.Unknown, 20, 20);
        Assert.That((verdict.Reply, verdict.Effect, verdict.CloseReason), Is.EqualTo((StandardReplies.TooManyErrors, SessionEffect.Close, "too many bad commands")));
    }

    [Test]
    public void A_rule_error_at_rcpt_refuses_the_recipient_and_leaves_the_state()
    {
        var verdict = Verdict.Decide(RcptAccepted, Rule(550), SmtpVerb.Rcpt, 0, 20);
        Assert.That((verdict.Reply.Code, verdict.Effect, verdict.CountsAsBad), Is.EqualTo((550, SessionEffect.RejectRecipient, false)));
    }

    [Test]
    public void A_rule_error_at_the_end_of_a_message_ends_the_transaction_without_storing()
    {
        var verdict = Verdict.Decide(MessageAccepted, Rule(552), null, 0, 20);
        Assert.That((verdict.Reply.Code, verdict.Effect, verdict.Stores), Is.EqualTo((552, SessionEffect.EndTransaction, false)));
    }

    [Test]
    public void A_rule_error_at_an_accepted_bdat_chunk_ends_the_transaction()
    {
        var chunk = new Outcome(StandardReplies.ChunkReceived(10), SessionEffect.TakeChunk);
        var verdict = Verdict.Decide(chunk, Rule(451), SmtpVerb.Bdat, 0, 20);
        Assert.That(verdict.Effect, Is.EqualTo(SessionEffect.EndTransaction));
    }

    [Test]
    public void A_positive_rule_reply_keeps_the_servers_effect_only_where_the_server_accepts()
    {
        var accepted = Verdict.Decide(MessageAccepted, Rule(250), null, 0, 20);
        Assert.That((accepted.Effect, accepted.Stores), Is.EqualTo((SessionEffect.EndTransaction, true)));

        var refused = Verdict.Decide(Outcome.Refuse(StandardReplies.MailFirst), Rule(250), SmtpVerb.Rcpt, 0, 20);
        Assert.That((refused.Reply.Code, refused.Effect), Is.EqualTo((250, SessionEffect.None)));
    }

    [Test]
    public void A_rule_421_closes_and_silence_closes_without_a_reply()
    {
        var closed = Verdict.Decide(RcptAccepted, Rule(421), SmtpVerb.Rcpt, 0, 20);
        Assert.That((closed.Effect, closed.CloseReason), Is.EqualTo((SessionEffect.Close, "closed after 421")));

        var silent = Verdict.Decide(RcptAccepted, new Intervention("quiet", 1) { Silent = true }, SmtpVerb.Rcpt, 0, 20);
        Assert.That((silent.Silent, silent.CloseReason), Is.EqualTo((true, "closed without a reply by rule 'quiet'")));
    }

    [Test]
    public void Rule_replies_never_count_as_bad_commands()
    {
        var verdict = Verdict.Decide(RcptAccepted, Rule(503), SmtpVerb.Rcpt, 20, 20);
        Assert.That((verdict.Reply.Code, verdict.CountsAsBad, verdict.CloseReason), Is.EqualTo((503, false, (string?)null)));
    }

    [Test]
    public void A_store_failure_swaps_in_the_servers_reply_and_drops_the_rules_words()
    {
        var verdict = Verdict.Decide(MessageAccepted, Rule(250), null, 0, 20).WithServerReply(StandardReplies.LocalError);
        Assert.That((verdict.Reply, verdict.Stores, verdict.Rule!.Reply), Is.EqualTo((StandardReplies.LocalError, false, (SmtpReply?)null)));
    }
}
