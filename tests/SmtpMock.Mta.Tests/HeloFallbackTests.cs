namespace SmtpMock.Mta.Tests;

/// <summary>A server that answers EHLO with 502 is an old RFC 821 server to Postfix: it says HELO and sends plain SMTP.</summary>
[TestFixture]
public sealed class HeloFallbackTests : MtaTest
{
    private const string Recipient = "helo-only@example.com";

    [Test]
    public async Task A_502_to_ehlo_makes_postfix_fall_back_to_helo()
    {
        await StartMockAsync(ScenarioYaml.OneRule("ehlo-502", on: "EHLO", reply: "502"));
        var postfix = await StartPostfixAsync();

        await postfix.SubmitAsync(Sender, Recipient, "HELO will do");

        await postfix.WaitForLogAsync(Delivery(Recipient, "sent", @"\(250 2\.0\.0 "));
        var captured = (await Mock.Api.WaitForMessagesAsync(1, Recipient, Deadline)).Single();

        var session = await Mock.Api.SessionAsync(captured.SessionId);
        var dialog = session.Transcript.Where(l => l.Direction != "note").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(dialog[1].Line, Is.EqualTo("EHLO " + PostfixConfig.HostName), session.ToString());
            Assert.That(dialog[2].Line, Does.StartWith("502 "), session.ToString());
            Assert.That(dialog[2].Rule, Is.EqualTo("ehlo-502"));
            Assert.That(dialog[3].Line, Is.EqualTo("HELO " + PostfixConfig.HostName), session.ToString());
            Assert.That(dialog[4].Line, Does.StartWith("250 "), session.ToString());
            Assert.That(session.HeloName, Is.EqualTo(PostfixConfig.HostName));
            // Without EHLO no extension was offered, so Postfix sends MAIL without SIZE or any other parameter.
            Assert.That(session.In, Does.Contain("MAIL FROM:<" + Sender + ">"), session.ToString());
        });
    }
}
