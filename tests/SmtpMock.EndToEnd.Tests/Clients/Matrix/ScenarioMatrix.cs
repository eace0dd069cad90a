using SmtpMock.EndToEnd.Tests.Scenarios;

namespace SmtpMock.EndToEnd.Tests.Clients.Matrix;

/// <summary>
/// Every file in scenarios/ against smtplib, nodemailer and swaks (curl where swaks cannot send what the scenario
/// needs): each scenario's characteristic case, the verdict each client gives, and what the server shows. MailKit's
/// column is the Scenarios/*Tests.cs fixtures. The same table is in docs/clients.md.
/// </summary>
internal static class ScenarioMatrix
{
    public const string Smtplib = "smtplib";
    public const string Nodemailer = "nodemailer";
    public const string Swaks = "swaks";
    public const string Curl = "curl";

    private const string To = "to@example.org";

    public static IEnumerable<MatrixCase> Cases()
    {
        var locked = new MatrixCase("auth-failures", "", ClientRequest.Sending(To) with { StartTls = true, User = "locked@example.com" }, "")
        {
            Heard = "535 5.7.8 Authentication credentials invalid",
            Rule = "locked-out",
        };
        yield return locked with { Client = Smtplib, Verdict = "SMTPAuthenticationError 535 5.7.8" };
        yield return locked with { Client = Nodemailer, Verdict = "EAUTH AUTH PLAIN 535 5.7.8" };
        yield return locked with { Client = Swaks, Verdict = "exit 28: 535 5.7.8" };

        var second = new MatrixCase("bad-sequence", "", ClientRequest.Sending("first@example.org", "second@example.org"), "")
        {
            Heard = "503 5.5.1 Bad sequence of commands",
            Rule = "second-rcpt",
            Captured = 1,
            DeliveredTo = ["first@example.org"],
        };
        yield return second with { Client = Smtplib, Verdict = "sent (refused second@example.org 503 5.5.1)" };
        yield return second with { Client = Nodemailer, Verdict = "sent (rejected second@example.org 503 5.5.1)" };
        yield return second with { Client = Swaks, Verdict = "exit 0: 503 5.5.1" };

        var noEhlo = new MatrixCase("command-not-implemented", "", ClientRequest.Sending(To), "")
        {
            Heard = "502 Command not implemented",
            Rule = "no-ehlo",
            Captured = 1,
            DeliveredTo = [To],
            Check = (server, _) => Assert.That(server.FinishedSessions.Single().ClientLines(), Has.Some.Match("(?i)^HELO "), "fell back to HELO"),
        };
        yield return noEhlo with { Client = Smtplib, Verdict = "EHLO 502, sent" };
        yield return noEhlo with { Client = Nodemailer, Verdict = "sent" };
        yield return noEhlo with { Client = Swaks, Verdict = "exit 0: 502" };

        var drop = new MatrixCase("drop-mid-data", "", ClientRequest.Sending(To), "")
        {
            Heard = "354 ",
            Rule = "drop",
            Check = (_, report) => Assert.That(report.Heard[^1], Does.StartWith("354 "), "nothing after the 354: no final reply"),
        };
        yield return drop with { Client = Smtplib, Verdict = "SMTPServerDisconnected" };
        yield return drop with { Client = Nodemailer, Verdict = "ECONNECTION CONN" };
        yield return drop with { Client = Swaks, Verdict = "exit 6" };

        // The server's clock is fake: the retry comes 31 s later on it, at once in real time.
        var greylisted = new MatrixCase("greylisting", "", ClientRequest.Sending(To), "")
        {
            Heard = "451 4.7.1 Greylisted, please try again later",
            Rule = "greylist",
            Captured = 1,
            DeliveredTo = [To],
            Sessions = 2,
            FakeClock = true,
        };
        var later = TimeSpan.FromSeconds(31);
        yield return greylisted with { Client = Smtplib, Verdict = "SMTPRecipientsRefused 451 4.7.1", Then = new(later, greylisted.Request, "sent") };
        yield return greylisted with { Client = Nodemailer, Verdict = "EENVELOPE RCPT TO 451 4.7.1", Then = new(later, greylisted.Request, "sent") };
        yield return greylisted with { Client = Swaks, Verdict = "exit 24: 451 4.7.1", Then = new(later, greylisted.Request, "exit 0") };

        var full = new MatrixCase("mailbox-full", "", ClientRequest.Sending("full@example.org", "ok@example.org"), "")
        {
            Heard = "552 5.2.2 Mailbox full",
            Rule = "full",
            Captured = 1,
            DeliveredTo = ["ok@example.org"],
        };
        yield return full with { Client = Smtplib, Verdict = "sent (refused full@example.org 552 5.2.2)" };
        yield return full with { Client = Nodemailer, Verdict = "sent (rejected full@example.org 552 5.2.2)" };
        yield return full with { Client = Swaks, Verdict = "exit 0: 552 5.2.2" };

        // smtplib and curl send SIZE= whenever it is offered; nodemailer sends no SIZE, but SMTPUTF8 for an
        // internationalized address; swaks sends neither (it has no option for MAIL parameters).
        var size = new MatrixCase("parameter-not-implemented", "", ClientRequest.Sending(To), "")
        {
            Heard = "504 5.5.4 SIZE parameter not implemented",
            Rule = "size",
        };
        yield return size with { Client = Smtplib, Verdict = "SMTPSenderRefused 504 5.5.4" };
        yield return size with
        {
            Client = Nodemailer,
            Request = ClientRequest.Sending("jörg@example.org"),
            Verdict = "EENVELOPE MAIL FROM 504 5.5.4",
            Heard = "504 5.5.4 SMTPUTF8 not implemented",
            Rule = "smtputf8",
        };
        yield return size with { Client = Curl, Verdict = "exit 55: MAIL failed: 504" };

        // Four messages on one connection: smtplib reports the 421; nodemailer's pool puts the fourth back in its
        // queue and sends it on a new connection; swaks sends one message per connection, curl reuses one for all.
        var fourth = new MatrixCase("rate-limited", "", ClientRequest.Sending(To) with { Messages = 4 }, "")
        {
            Heard = "421 4.7.0 Too many messages on this connection, slow down",
            Rule = "fourth-message",
            Captured = 3,
            DeliveredTo = [To],
        };
        yield return fourth with { Client = Smtplib, Verdict = "sent, sent, sent, SMTPSenderRefused 421 4.7.0" };
        yield return fourth with { Client = Nodemailer, Verdict = "sent, sent, sent, sent", Captured = 4, Sessions = 2 };
        yield return fourth with { Client = Curl, Verdict = "exit 55: MAIL failed: 421" };

        var refused = new MatrixCase("reject-at-connect", "", ClientRequest.Sending(To), "")
        {
            Heard = "554 No SMTP service here",
            Rule = "refuse",
        };
        yield return refused with { Client = Smtplib, Verdict = "SMTPConnectError 554" };
        yield return refused with { Client = Nodemailer, Verdict = "EPROTOCOL CONN 554" };
        yield return refused with { Client = Swaks, Verdict = "exit 21: 554" };

        // The server's fake clock never moves, so the 6-minute greeting never comes; each client gives up after its
        // own 1-second timeout in real time, as MailKit does in SlowServerTests.
        var slow = new MatrixCase("slow-server", "", ClientRequest.Sending(To) with { TimeoutSeconds = 1 }, "")
        {
            Rule = "slow-greeting",
            FakeClock = true,
            Check = (_, report) => Assert.That(report.Heard, Has.None.Match(@"^\d{3}[ -]"), "no reply at all was read"),
        };
        yield return slow with { Client = Smtplib, Verdict = "SMTPServerDisconnected" };
        yield return slow with { Client = Nodemailer, Verdict = "ETIMEDOUT CONN" };
        yield return slow with { Client = Swaks, Verdict = "exit 21" };

        var plaintext = new MatrixCase("tls-required", "", ClientRequest.Sending(To), "")
        {
            Heard = "530 5.7.0 Must issue a STARTTLS command first",
            Rule = "plaintext-refused",
            Captured = 1,
            DeliveredTo = [To],
            Sessions = 2,
            Check = (server, _) => Assert.That(server.Messages.Messages.Single().IsSecure, Is.True, "delivered over STARTTLS"),
        };
        var overTls = plaintext.Request with { StartTls = true };
        yield return plaintext with { Client = Smtplib, Verdict = "SMTPSenderRefused 530 5.7.0", Then = new(TimeSpan.Zero, overTls, "sent") };
        yield return plaintext with { Client = Nodemailer, Verdict = "EENVELOPE MAIL FROM 530 5.7.0", Then = new(TimeSpan.Zero, overTls, "sent") };
        yield return plaintext with { Client = Swaks, Verdict = "exit 23: 530 5.7.0", Then = new(TimeSpan.Zero, overTls, "exit 0") };
    }

    /// <summary>The scenarios/*.yaml files the table covers, to check that none is left out.</summary>
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Path.GetDirectoryName(ScenarioKit.PathOf("x"))!, "*.yaml").Select(Path.GetFileNameWithoutExtension)!;
}
