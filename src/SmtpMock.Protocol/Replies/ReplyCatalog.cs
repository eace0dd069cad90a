using System.Collections.Frozen;

namespace SmtpMock.Protocol.Replies;

/// <summary>One reply code in <see cref="ReplyCatalog"/>: its enhanced codes, its standard text and what it means.</summary>
internal sealed class ReplyCodeInfo
{
    internal ReplyCodeInfo(int code, string[] enhanced, string text, string meaning)
    {
        Code = code;
        Enhanced = enhanced;
        Text = text;
        Meaning = meaning;
    }

    public int Code { get; }

    /// <summary>The RFC 3463 enhanced codes sent with it, the standard one first (none for 3xx replies).</summary>
    public IReadOnlyList<string> Enhanced { get; }

    /// <summary>The text sent when only the code is given (<c>reply: 503</c>, <c>503@smtpmock.test</c>).</summary>
    public string Text { get; }

    /// <summary>What the server is saying with it, for a person reading <c>smtpmock codes</c>.</summary>
    public string Meaning { get; }
}

/// <summary>
/// THE table of reply codes: every code SmtpMock sends or a scenario may send, with its enhanced codes (the standard
/// one first: RFC 5321 §4.2 and the usual pairings, 500 5.5.2, 501 5.5.4, 502 5.5.1, 503 5.5.1, 504 5.5.4, 452 4.5.3,
/// 552 5.3.4, 554 5.5.1, 421 4.4.2), its standard text and its meaning. The server's replies take their code and
/// enhanced code from here (<see cref="StandardReplies"/> and <see cref="SecurityReplies"/> name the situations, and a
/// test holds every one of them to this table), a scenario that gives only a number gets its text, and
/// <c>smtpmock codes</c> prints its rows. A code not listed gets class.0.0 and a text by class.
/// </summary>
internal static class ReplyCatalog
{
    /// <summary>Every row, by code.</summary>
    public static IReadOnlyList<ReplyCodeInfo> Rows { get; } =
    [
        new ReplyCodeInfo(211, ["2.0.0"], "System status",
            "A status or help reply: the server answers a request for information."),
        new ReplyCodeInfo(214, ["2.0.0"], "Help message",
            "The reply to HELP: text for a human, often several lines."),
        new ReplyCodeInfo(220, ["2.0.0"], "Service ready",
            "The greeting: the server is ready for EHLO. Also the reply to STARTTLS (220 2.0.0 Ready to start TLS)."),
        new ReplyCodeInfo(221, ["2.0.0"], "Service closing transmission channel",
            "The reply to QUIT: the server closes the connection after it."),
        new ReplyCodeInfo(235, ["2.7.0"], "Authentication successful",
            "AUTH succeeded (RFC 4954); the client may now send mail as that user."),
        new ReplyCodeInfo(250, ["2.0.0", "2.1.0", "2.1.5", "2.6.0"], "OK",
            "The command worked: EHLO (with the extension list), MAIL (2.1.0), RCPT (2.1.5), the message after the final dot (2.0.0 or 2.6.0 with a queue id), RSET, NOOP."),
        new ReplyCodeInfo(251, ["2.1.5"], "User not local; will forward",
            "The recipient is accepted and will be forwarded elsewhere."),
        new ReplyCodeInfo(252, ["2.0.0", "2.1.5"], "Cannot VRFY user, but will accept message and attempt delivery",
            "The server will not say whether the mailbox exists (to stop address harvesting) but will take mail for it."),
        new ReplyCodeInfo(334, [], "Authentication challenge",
            "AUTH goes on: the text is a base64 challenge and the client answers with a base64 line (RFC 4954)."),
        new ReplyCodeInfo(354, [], "Start mail input; end with <CRLF>.<CRLF>",
            "The reply to DATA: send the message, ended by a line with a single dot."),
        new ReplyCodeInfo(421, ["4.4.2", "4.7.0", "4.3.2"], "Service not available, closing transmission channel",
            "The server is going away: it closes the connection after this reply, whatever the command was."),
        new ReplyCodeInfo(432, ["4.7.12"], "A password transition is needed",
            "The user must change their password before AUTH can succeed (RFC 4954)."),
        new ReplyCodeInfo(450, ["4.2.0", "4.2.1", "4.7.1"], "Requested mail action not taken: mailbox unavailable",
            "The mailbox exists but cannot take mail just now (busy, locked), or a policy check could not finish."),
        new ReplyCodeInfo(451, ["4.3.0", "4.7.1", "4.4.3"], "Requested action aborted: local error in processing",
            "Something went wrong on the server's side; the command may work later. 451 4.7.1 is the classic greylisting reply."),
        new ReplyCodeInfo(452, ["4.5.3", "4.2.2", "4.3.1"], "Requested action not taken: too many recipients",
            "At RCPT: too many recipients for this transaction (4.5.3) or the mailbox is over quota (4.2.2); after the final dot: the server's disk is full (4.3.1)."),
        new ReplyCodeInfo(454, ["4.7.0"], "Temporary authentication failure",
            "STARTTLS cannot start now, or AUTH failed for a temporary reason (RFC 4954)."),
        new ReplyCodeInfo(455, ["4.5.4"], "Server unable to accommodate parameters",
            "MAIL or RCPT parameters are understood but cannot be honoured now (RFC 5321)."),
        new ReplyCodeInfo(500, ["5.5.2", "5.5.6"], "Syntax error, command unrecognized",
            "The server did not recognise the command at all: an unknown verb, an empty line, a line too long."),
        new ReplyCodeInfo(501, ["5.5.4", "5.1.3", "5.1.7", "5.5.2", "5.7.0"], "Syntax error in parameters or arguments",
            "The verb is known but its argument is wrong: a malformed address (5.1.3 recipient, 5.1.7 sender), a bad EHLO name, arguments where none are allowed."),
        new ReplyCodeInfo(502, ["5.5.1"], "Command not implemented",
            "The server knows the command exists but does not implement it, or has it switched off. It says nothing about the rest of the session: everything else still works."),
        new ReplyCodeInfo(503, ["5.5.1"], "Bad sequence of commands",
            "The command is valid but not now: the session is not in the state it needs. The server's state is unchanged, so the session can go on once the client sends the right command."),
        new ReplyCodeInfo(504, ["5.5.4", "5.7.4"], "Command parameter not implemented",
            "The command is implemented but not with that parameter: the server understood what was asked and does not do it."),
        new ReplyCodeInfo(521, ["5.3.2"], "Server does not accept mail",
            "This host never takes mail (RFC 7504): the connection is useless."),
        new ReplyCodeInfo(530, ["5.7.0"], "Authentication required",
            "The server wants AUTH (or STARTTLS first) before it takes mail (RFC 4954)."),
        new ReplyCodeInfo(534, ["5.7.9"], "Authentication mechanism is too weak",
            "The chosen AUTH mechanism is not good enough for this server or this user (RFC 4954)."),
        new ReplyCodeInfo(535, ["5.7.8"], "Authentication credentials invalid",
            "Wrong user name or password (RFC 4954)."),
        new ReplyCodeInfo(538, ["5.7.11"], "Encryption required for requested authentication mechanism",
            "This AUTH mechanism is only allowed over TLS (RFC 4954)."),
        new ReplyCodeInfo(550, ["5.1.1", "5.7.1", "5.2.1", "5.7.0"], "Requested action not taken: mailbox unavailable",
            "No such user (5.1.1), mailbox disabled (5.2.1), or refused by policy: relaying denied, spam, blocklisted sender (5.7.1)."),
        new ReplyCodeInfo(551, ["5.1.6"], "User not local",
            "The recipient is not here; the text often names where they moved."),
        new ReplyCodeInfo(552, ["5.3.4", "5.2.2"], "Requested mail action aborted: exceeded storage allocation",
            "The message is too big (5.3.4) or the mailbox is full (5.2.2)."),
        new ReplyCodeInfo(553, ["5.1.3", "5.7.1", "5.6.7"], "Requested action not taken: mailbox name not allowed",
            "The address is not acceptable: bad syntax, a sender this user may not use, a non-ASCII address without SMTPUTF8 (5.6.7)."),
        new ReplyCodeInfo(554, ["5.5.1", "5.7.1", "5.6.0"], "Transaction failed",
            "The whole transaction is refused: at the greeting (the server will not talk to this client), at DATA when no recipient was accepted (5.5.1), after the final dot for content (5.7.1 spam, 5.6.0 bad content)."),
        new ReplyCodeInfo(555, ["5.5.4"], "MAIL FROM/RCPT TO parameters not recognized or not implemented",
            "A MAIL or RCPT parameter is unknown to the server (RFC 5321, RFC 1869)."),
        new ReplyCodeInfo(556, ["5.1.10"], "Domain does not accept mail",
            "The recipient's domain publishes a null MX (RFC 7504): it takes no mail at all."),
    ];

    private static readonly FrozenDictionary<int, ReplyCodeInfo> ByCode = Rows.ToFrozenDictionary(r => r.Code);

    /// <summary>The row of <paramref name="code"/>, or null when the table has none.</summary>
    public static ReplyCodeInfo? Find(int code) => ByCode.GetValueOrDefault(code);

    /// <summary>The standard enhanced code for <paramref name="code"/> (null for 3xx, which carry none).</summary>
    public static string? EnhancedFor(int code) =>
        code / 100 == 3 ? null : ByCode.TryGetValue(code, out var known) ? known.Enhanced[0] : $"{code / 100}.0.0";

    public static string TextFor(int code) => ByCode.TryGetValue(code, out var known)
        ? known.Text
        : (code / 100) switch
        {
            2 => "Requested action completed",
            3 => "Intermediate reply",
            4 => "Temporary failure, try again later",
            _ => "Permanent failure",
        };
}
