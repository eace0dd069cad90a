using System.Collections.Frozen;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// The reply a rule or a failure address sends when it gives only a code (<c>reply: 554</c>, <c>554@smtpmock.test</c>):
/// the enhanced code and text that fit where the session is (RFC 3463). A 554 after the final dot is about the message
/// (<c>5.6.0</c>), not a bad command (<c>5.5.1</c>, what it means at DATA); a 552 at RCPT is a full mailbox
/// (<c>5.2.2</c>), after the dot a message too big (<c>5.3.4</c>). Codes not listed for a point take
/// <see cref="ReplyCatalog"/>'s usual pairing. The greeting and the EHLO/HELO replies carry no enhanced code
/// (none is negotiated yet, RFC 2034 §3).
/// </summary>
public static class PointReplies
{
    private static readonly FrozenDictionary<(ScenarioPoint Point, int Code), (string Enhanced, string Text)> Fitting =
        new Dictionary<(ScenarioPoint, int), (string, string)>
        {
            // MAIL: about the sender (X.1.7, X.1.8) or policy (X.7.1); SIZE is X.3.4, storage X.3.1.
            [(ScenarioPoint.Mail, 450)] = ("4.7.1", "Sender address rejected: try again later"),
            [(ScenarioPoint.Mail, 452)] = ("4.3.1", "Insufficient system storage"),
            [(ScenarioPoint.Mail, 550)] = ("5.7.1", "Sender address rejected"),
            [(ScenarioPoint.Mail, 553)] = ("5.1.7", "Sender address not allowed"),
            [(ScenarioPoint.Mail, 554)] = ("5.7.1", "Sender address rejected"),

            // RCPT: about the mailbox (X.1.1, X.2.2) or policy (X.7.1).
            [(ScenarioPoint.Rcpt, 552)] = ("5.2.2", "Mailbox full"),
            [(ScenarioPoint.Rcpt, 554)] = ("5.7.1", "Recipient address rejected"),

            // DATA, the command: a transaction that cannot go on.
            [(ScenarioPoint.Data, 452)] = ("4.3.1", "Insufficient system storage"),
            [(ScenarioPoint.Data, 550)] = ("5.7.1", "Transaction refused"),

            // After the final dot, or a BDAT chunk: about the message (X.6.0 content, X.3.4 size, X.7.1 policy).
            [(ScenarioPoint.Message, 450)] = ("4.7.1", "Message deferred: try again later"),
            [(ScenarioPoint.Message, 452)] = ("4.3.1", "Insufficient system storage"),
            [(ScenarioPoint.Message, 550)] = ("5.7.1", "Message refused"),
            [(ScenarioPoint.Message, 553)] = ("5.7.1", "Message refused"),
            [(ScenarioPoint.Message, 554)] = ("5.6.0", "Message content rejected"),
            [(ScenarioPoint.Bdat, 452)] = ("4.3.1", "Insufficient system storage"),
            [(ScenarioPoint.Bdat, 550)] = ("5.7.1", "Message refused"),
            [(ScenarioPoint.Bdat, 554)] = ("5.6.0", "Message content rejected"),

            // AUTH and STARTTLS: security (X.7.x).
            [(ScenarioPoint.Auth, 550)] = ("5.7.1", "Authentication refused"),
            [(ScenarioPoint.Auth, 554)] = ("5.7.0", "Authentication refused"),
            [(ScenarioPoint.StartTls, 454)] = ("4.7.0", "TLS not available due to temporary reason"),
            [(ScenarioPoint.StartTls, 550)] = ("5.7.0", "TLS refused"),
            [(ScenarioPoint.StartTls, 554)] = ("5.7.0", "TLS refused"),
        }.ToFrozenDictionary();

    /// <summary>The reply for <paramref name="code"/> at <paramref name="point"/>, with the enhanced code and text that fit there.</summary>
    public static SmtpReply For(ScenarioPoint point, int code) => new(code, EnhancedFor(point, code), TextFor(point, code));

    /// <summary>The enhanced code for <paramref name="code"/> at <paramref name="point"/>; null where none is sent.</summary>
    public static string? EnhancedFor(ScenarioPoint point, int code) =>
        CarriesNoEnhancedCode(point) ? null
        : Fitting.TryGetValue((point, code), out var fitting) ? fitting.Enhanced
        : ReplyCatalog.EnhancedFor(code);

    /// <summary>The text for <paramref name="code"/> at <paramref name="point"/>.</summary>
    public static string TextFor(ScenarioPoint point, int code) =>
        Fitting.TryGetValue((point, code), out var fitting) ? fitting.Text : ReplyCatalog.TextFor(code);

    /// <summary>The greeting and the EHLO/HELO replies: no enhanced code is negotiated before EHLO succeeds.</summary>
    public static bool CarriesNoEnhancedCode(ScenarioPoint point) => point is ScenarioPoint.Connect or ScenarioPoint.Ehlo or ScenarioPoint.Helo;
}
