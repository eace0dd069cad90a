namespace SmtpMock.EndToEnd.Tests.Clients.Matrix;

/// <summary>
/// Issue #23's zero-config forms at smtpmock.test, with no scenario loaded, as smtplib and swaks report them (MailKit's
/// are in Scenarios/ZeroConfigFaultTests.cs and Clients/MailKitRefusalTests.cs). The same table is in docs/clients.md.
/// </summary>
internal static class ZeroConfigMatrix
{
    private const string To = "to@example.org";
    private const string Features = "nopipelining.noauth.size1000.smtpmock.test";

    public static IEnumerable<MatrixCase> Cases()
    {
        var sender = new MatrixCase(null, "", new ClientRequest("503@smtpmock.test", [To]), "")
        {
            Form = "MAIL FROM:<503@smtpmock.test>",
            Heard = "503 5.5.1 Bad sequence of commands",
            Rule = "simulator:503",
        };
        yield return sender with { Client = ScenarioMatrix.Smtplib, Verdict = "SMTPSenderRefused 503 5.5.1" };
        yield return sender with { Client = ScenarioMatrix.Swaks, Verdict = "exit 23: 503 5.5.1" };

        var afterData = new MatrixCase(null, "", ClientRequest.Sending("552-data@smtpmock.test"), "")
        {
            Form = "RCPT TO:<552-data@smtpmock.test>",
            Heard = "552 5.3.4 Requested mail action aborted: exceeded storage allocation",
            Rule = "simulator:552-data",
        };
        yield return afterData with { Client = ScenarioMatrix.Smtplib, Verdict = "SMTPDataError 552 5.3.4" };
        yield return afterData with { Client = ScenarioMatrix.Swaks, Verdict = "exit 26: 552 5.3.4" };

        // Accepted with 250, then a DSN to the sender is captured beside the message.
        var bounce = new MatrixCase(null, "", ClientRequest.Sending("bounce@smtpmock.test"), "")
        {
            Form = "RCPT TO:<bounce@smtpmock.test>",
            Heard = "250 2.0.0 OK: queued as ",
            Captured = 2,
            Check = (server, _) =>
            {
                var dsn = server.Messages.Messages.Single(m => m.Sender.IsNull);
                Assert.That(dsn.RecipientAddresses(), Is.EqualTo(new[] { ClientScenarios.Sender }), "the bounce goes to the envelope sender");
                Assert.That(dsn.Message.Headers["X-SmtpMock-Generated"], Is.EqualTo("bounce"));
            },
        };
        yield return bounce with { Client = ScenarioMatrix.Smtplib, Verdict = "sent" };
        yield return bounce with { Client = ScenarioMatrix.Swaks, Verdict = "exit 0" };

        // Only what the EHLO name leaves is offered: no PIPELINING, no AUTH, SIZE 1000, and a bigger message is refused
        // (smtplib announces SIZE= at MAIL and is refused there; swaks sends no SIZE= and is refused after the dot).
        var words = new MatrixCase(null, "", ClientRequest.Sending(To) with { Helo = Features, BodyLines = 200 }, "")
        {
            Form = "EHLO " + Features,
            Heard = "552 5.3.4 Message size exceeds fixed maximum message size",
            Check = (_, report) => Assert.Multiple(() =>
            {
                Assert.That(report.Heard, Has.Some.EqualTo("250 SIZE 1000"));
                Assert.That(report.Heard, Has.None.Contain("PIPELINING").And.None.Contain("AUTH"));
            }),
        };
        yield return words with { Client = ScenarioMatrix.Smtplib, Verdict = "SMTPSenderRefused 552 5.3.4" };
        yield return words with { Client = ScenarioMatrix.Swaks, Verdict = "exit 26: 552 5.3.4" };

        // A TCP reset at RCPT: no reply code, the client reports a lost connection.
        var reset = new MatrixCase(null, "", ClientRequest.Sending("reset@smtpmock.test"), "")
        {
            Form = "RCPT TO:<reset@smtpmock.test>",
            Heard = "250 2.1.0 Sender OK",
            Rule = "simulator:reset",
            Check = (server, report) =>
            {
                Assert.That(report.Heard[^1], Is.EqualTo("250 2.1.0 Sender OK"), "no reply to RCPT");
                Assert.That(server.FinishedSessions.Single().ResetOnClose, Is.True);
            },
        };
        yield return reset with { Client = ScenarioMatrix.Smtplib, Verdict = "SMTPServerDisconnected" };
        yield return reset with { Client = ScenarioMatrix.Swaks, Verdict = "exit 6" };
    }
}
