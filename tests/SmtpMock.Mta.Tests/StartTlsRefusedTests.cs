namespace SmtpMock.Mta.Tests;

/// <summary>
/// A 454 to STARTTLS: a client that requires TLS (<c>encrypt</c>) must keep the message queued, one that only
/// prefers it (<c>may</c>) goes on in plaintext on the same connection.
/// </summary>
[TestFixture]
public sealed class StartTlsRefusedTests : MtaTest
{
    private const string Recipient = "starttls-refused@example.com";

    [Test]
    public async Task Encrypt_defers_the_message_and_may_falls_back_to_plaintext()
    {
        await StartMockAsync(ScenarioYaml.OneRule(
            "starttls-454", on: "STARTTLS", reply: "{ code: 454, enhanced: 4.7.0, text: TLS not available due to temporary reason }"));
        var postfix = await StartPostfixAsync(new Dictionary<string, string> { ["smtp_tls_security_level"] = "encrypt" });

        await postfix.SubmitAsync(Sender, Recipient, "TLS if possible");

        await postfix.WaitForLogAsync(
            Delivery(Recipient, "deferred", @"\(TLS is required, but host 127\.0\.0\.1\[127\.0\.0\.1\] refused to start TLS: 454 4\.7\.0 "));
        await postfix.WaitUntilDeferredAsync(Recipient, "refused to start TLS: 454 4.7.0");
        Assert.That(await Mock.Api.MessagesAsync(), Is.Empty, "nothing goes in plaintext at encrypt");
        Assert.That((await Mock.Api.SessionDetailsAsync()).SelectMany(s => s.In), Has.None.StartWith("MAIL FROM:"));

        await postfix.RestartAsync(new Dictionary<string, string> { ["smtp_tls_security_level"] = "may" });
        await postfix.FlushAsync();

        await postfix.WaitForLogAsync(Delivery(Recipient, "sent", @"\(250 2\.0\.0 "));
        var captured = (await Mock.Api.WaitForMessagesAsync(1, Recipient, Deadline)).Single();
        Assert.That(Mock.ReadStoredEnvelope(captured.Id).Tls, Is.Null, "captured as a plaintext message");

        var session = await Mock.Api.SessionAsync(captured.SessionId);
        var dialog = session.Transcript.Where(l => l.Direction != "note").Select(l => l.Line).ToList();
        var refusal = dialog.IndexOf("454 4.7.0 TLS not available due to temporary reason");
        Assert.Multiple(() =>
        {
            Assert.That(refusal, Is.GreaterThan(0), session.ToString());
            Assert.That(dialog[refusal - 1], Is.EqualTo("STARTTLS"), session.ToString());
            Assert.That(dialog[refusal + 1], Does.StartWith("MAIL FROM:<" + Sender + ">"), "the next command is in plaintext on the same connection");
        });
    }
}
