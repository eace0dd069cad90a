using MailKit.Net.Smtp;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/reject-at-connect.yaml: a 554 greeting; every command but QUIT then gets 503.</summary>
[TestFixture]
public sealed class RejectAtConnectTests
{
    private const string Scenario = "reject-at-connect";

    [Test]
    public async Task MailKit_connect_fails_with_554()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();

        // SmtpClient.Connect throws SmtpCommandException(UnexpectedStatusCode) when the greeting is not 220.
        var refused = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.ConnectToAsync(server, timeout.Token));

        Assert.Multiple(() =>
        {
            Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.UnexpectedStatusCode));
            Assert.That(refused.StatusCode, Is.EqualTo(SmtpStatusCode.TransactionFailed));
            Assert.That((int)refused.StatusCode, Is.EqualTo(554));
            Assert.That(ScenarioKit.EnhancedCode(refused), Is.Null, "a greeting carries no enhanced code");
            Assert.That(refused.Message, Is.EqualTo("No SMTP service here"));
            Assert.That(client.IsConnected, Is.False);
            Assert.That(server.Messages.Count, Is.Zero);
        });

        var session = await server.WaitForSessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "refuse", "CONNECT") }));
            Assert.That(session.RepliesBy("refuse"), Is.EqualTo(new[] { "554 No SMTP service here" }));
            Assert.That(session.ClientLines(), Is.Empty, "MailKit sends nothing after the refusal");
        });
    }

    [Test]
    public async Task Raw_client_gets_503_until_quit_and_221_then_the_connection_closes()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        await using (var client = await WireClient.ConnectAsync(server.EndPoint))
        {
            Assert.That(await client.ReadReplyAsync(), Is.EqualTo(new[] { "554 No SMTP service here" }));
            var ehlo = await client.CommandAsync("EHLO client.test");
            var mail = await client.CommandAsync("MAIL FROM:<sender@example.com>");
            var quit = await client.CommandAsync("QUIT");
            var rest = await client.ReadUntilClosedAsync();

            Assert.Multiple(() =>
            {
                Assert.That(ehlo, Has.Count.EqualTo(1));
                Assert.That(ehlo[0], Does.StartWith("503 5.5.1 "));
                Assert.That(mail, Has.Count.EqualTo(1));
                Assert.That(mail[0], Does.StartWith("503 5.5.1 "));
                Assert.That(quit, Is.EqualTo(new[] { "221 2.0.0 Bye" }));
                Assert.That(rest, Is.Empty, "the server closes after 221");
            });
        }

        var session = await server.WaitForSessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "refuse", "CONNECT") }));
            Assert.That(session.ClientLines(), Is.EqualTo(new[] { "EHLO client.test", "MAIL FROM:<sender@example.com>", "QUIT" }));
            Assert.That(session.EndReason, Is.EqualTo("QUIT"));
            Assert.That(server.Messages.Count, Is.Zero);
        });
    }
}
