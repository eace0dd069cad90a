namespace SmtpMock.Cli.Commands.Codes;

/// <summary>
/// Every reply code an SMTP server sends (RFC 5321 §4.2.3, RFC 4954, RFC 7504): the server's own row for it
/// (<see cref="SmtpMock.Protocol.Replies.ReplyCatalog"/>: enhanced codes, text, meaning) and here what a client author
/// needs besides: when real servers send it, what clients do about it, and a scenario that makes SmtpMock send it.
/// The data is here and in ReplyCodeReference.Errors.cs (the 5xx codes); each scenario is checked by the scenario
/// loader in the tests, and every code of the table has an entry.
/// </summary>
internal static partial class ReplyCodeReference
{
    public const string Success = "success";
    public const string Continue = "continue";
    public const string Retry = "retry";
    public const string GiveUp = "give-up";

    public static IReadOnlyList<ReplyCode> All { get; } = [.. Positive(), .. Transient(), .. Permanent()];

    public static ReplyCode? Find(int code) => All.FirstOrDefault(c => c.Code == code);

    /// <summary>A one-rule scenario: at <paramref name="on"/>, answer <paramref name="reply"/> (a code or a full reply).</summary>
    private static string At(string name, string on, string reply) =>
        $"name: {name}\nrules:\n  - name: {name}\n    on: {on}\n    reply: {reply}\n";

    private static IEnumerable<ReplyCode> Positive() =>
    [
        new(211,
            "Rare. Some servers answer HELP or a status request with 211 instead of 214.",
            "Informational: clients show it and go on. Nothing to retry.",
            Success, At("help-211", "HELP", "{ code: 211, text: System status OK }")),
        new(214,
            "Sendmail and Exim answer HELP with 214 lines; Postfix answers 502 (HELP is not implemented there).",
            "Informational; only interactive tools (telnet, swaks) show it.",
            Success, At("help-214", "HELP", "{ code: 214, text: [\"Commands: EHLO HELO MAIL RCPT DATA RSET QUIT\", \"End of HELP\"] }")),
        new(220,
            "On every connection, before the client says anything. The greeting carries no enhanced code (none is negotiated yet).",
            "The client sends EHLO (or HELO). A client must wait for the 220 before it sends anything: RFC 5321 §3.1.",
            Continue, At("greeting", "CONNECT", "{ code: 220, text: mx.example.test ESMTP ready }")),
        new(221,
            "After QUIT; some servers also send 221 when they close for their own reasons.",
            "The client closes its side. Mail already accepted with 250 stays accepted.",
            Success, At("quit-221", "QUIT", "{ code: 221, enhanced: 2.0.0, text: See you later }")),
        new(235,
            "After AUTH and its challenges: SmtpMock sends it for a login it accepts (any, or --auth-user's); this scenario sends it to every AUTH.",
            "MailKit's AuthenticateAsync returns; smtplib's login() returns (235, ...).",
            Success, At("auth-235", "AUTH", "235")),
        new(250,
            "Everywhere. After the final dot, 250 is the moment the server takes responsibility for the message (RFC 5321 §6.1).",
            "The client goes on to the next command; after the final dot the message counts as sent.",
            Success, At("mail-250", "MAIL", "{ code: 250, enhanced: 2.1.0, text: Sender looks fine }")),
        new(251,
            "Rare today: the RFC 5321 forward-path case.",
            "Treated as 250: MailKit and smtplib accept the recipient.",
            Success, At("rcpt-251", "RCPT", "251")),
        new(252,
            "The usual answer to VRFY on servers that allow the command at all (SmtpMock's own default).",
            "The client cannot tell whether the address exists; MailKit's VerifyAsync throws (it accepts only 250).",
            Success, At("vrfy-252", "VRFY", "252")),
        new(334,
            "During AUTH LOGIN, PLAIN (without an initial response), CRAM-MD5 and XOAUTH2 failures.",
            "The client sends the next step of the mechanism. This scenario answers AUTH with a bare 334, so the client's next line is taken as the next step of the exchange.",
            Continue, At("auth-334", "AUTH", "{ code: 334, text: VXNlcm5hbWU6 }")),
        new(354,
            "After DATA when at least one recipient was accepted.",
            "The client streams the message with dot-stuffing and ends with CRLF.CRLF, then waits for the final reply.",
            Continue, At("data-354", "DATA", "{ code: 354, text: \"Go ahead, end with a dot\" }")),
    ];

    private static IEnumerable<ReplyCode> Transient() =>
    [
        new(421,
            "At the greeting when overloaded or rate-limiting (4.7.0), on idle timeouts (4.4.2), at shutdown (4.3.2); Gmail and Microsoft 365 send 421 4.7.0 to throttle senders.",
            "Temporary: queue the message and retry later on a new connection, with backoff. MailKit throws SmtpCommandException (StatusCode ServiceNotAvailable) and disconnects; smtplib raises SMTPServerDisconnected or SMTPResponseException.",
            Retry, At("rate-limit-421", "MAIL", "421")),
        new(432,
            "After AUTH, on servers with that policy.",
            "Temporary for the server, but a person has to act; automated senders report it and stop trying that account.",
            Retry, At("auth-432", "AUTH", "{ code: 432, enhanced: 4.7.12, text: A password transition is needed }")),
        new(450,
            "At RCPT, from Postfix (450 4.1.8 sender domain not found in DNS yet) and greylisting setups.",
            "Temporary: keep the message and retry that recipient later. MailKit throws SmtpCommandException (RecipientNotAccepted, StatusCode MailboxBusy).",
            Retry, At("rcpt-450", "RCPT", "450")),
        new(451,
            "At RCPT for greylisting (Postgrey: 451 4.7.1 Please try again later), after the final dot on a storage or content-scanner failure.",
            "Temporary: retry the message later (greylisting expects a retry after a few minutes from the same client). MailKit: SmtpCommandException with StatusCode ErrorInProcessing.",
            Retry, "name: greylist\nrules:\n  - name: greylist\n    on: RCPT\n    key: [client, sender, recipient]\n    times: 1\n    for: 30s\n    reply: { code: 451, enhanced: 4.7.1, text: \"Greylisted, try again later\" }\n"),
        new(452,
            "SmtpMock sends 452 4.5.3 after --max-recipients; Exchange and Postfix send it when a message exceeds their recipient limit.",
            "For 4.5.3: send the message to the recipients accepted so far, then the rest in a new transaction (RFC 5321 §4.5.3.1.10). Otherwise retry later.",
            Retry, At("rcpt-452", "RCPT", "{ code: 452, enhanced: 4.2.2, text: \"Mailbox full, try again later\" }")),
        new(454,
            "After STARTTLS when the certificate cannot be loaded, after AUTH when the password backend is down.",
            "Retry later; a client that requires TLS must not fall back to plain text on 454.",
            Retry, At("starttls-454", "STARTTLS", "{ code: 454, enhanced: 4.7.0, text: TLS not available due to temporary reason }")),
        new(455,
            "Rare; for example a SIZE the server could take later, when it has space.",
            "Temporary: retry later, or without the parameter.",
            Retry, At("mail-455", "MAIL", "455")),
    ];
}
