using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// One recipient the message could not reach, and the reply the (simulated) next server gave: a 5xx makes the DSN say
/// <c>Action: failed</c>, a 4xx <c>Action: delayed</c>.
/// </summary>
internal sealed record RecipientFailure
{
    public RecipientFailure(string address, SmtpReply reply)
    {
        if (reply.Code is < 400 or > 599)
        {
            throw new ArgumentException($"A bounce needs a 4xx or 5xx reply, not {reply.Code}.", nameof(reply));
        }

        Address = address;
        Reply = reply;
    }

    /// <summary>A recipient of the original, as it was given in RCPT TO (compared without regard to case).</summary>
    public string Address { get; }

    public SmtpReply Reply { get; }

    /// <summary>True for a permanent failure (5xx); false for a delay (4xx).</summary>
    public bool Failed => Reply.Code >= 500;

    /// <summary>
    /// The reply a recipient gets for <paramref name="code"/> alone, as <c>bounce-552@</c> or <c>bounce: 552</c> give it:
    /// the enhanced code and text that fit a mailbox (<c>550 5.1.1</c>, <c>552 5.2.2 Mailbox full</c>), as at RCPT.
    /// </summary>
    public static SmtpReply ReplyFor(int code) => code is >= 400 and <= 599
        ? PointReplies.For(ScenarioPoint.Rcpt, code)
        : throw new ArgumentOutOfRangeException(nameof(code), code, "A bounce needs a 4xx or 5xx code.");

    /// <summary>550 5.1.1: no such mailbox, the usual bounce.</summary>
    public static SmtpReply DefaultReply { get; } = ReplyFor(550);
}

/// <summary>What a delivery status notification reports.</summary>
internal sealed record BounceRequest
{
    public BounceRequest(IReadOnlyList<RecipientFailure> failures)
    {
        if (failures.Count == 0)
        {
            throw new ArgumentException("A bounce needs at least one failed recipient.", nameof(failures));
        }

        Failures = failures;
    }

    public IReadOnlyList<RecipientFailure> Failures { get; }

    /// <summary>
    /// True: the whole original as message/rfc822; false: its header fields as text/rfc822-headers; null (the default):
    /// what MAIL's RET parameter asked, and the headers when it asked nothing (RFC 3461 §4.3).
    /// </summary>
    public bool? ReturnFullMessage { get; init; }

    /// <summary>The server that refused, for <c>Remote-MTA</c>; null: the host itself, which played the next hop.</summary>
    public string? RemoteMta { get; init; }

    /// <summary>These recipients failed with the same reply (550 5.1.1 when none is given).</summary>
    public static BounceRequest For(IEnumerable<string> addresses, SmtpReply? reply = null) =>
        new([.. addresses.Select(address => new RecipientFailure(address, reply ?? RecipientFailure.DefaultReply))]);
}
