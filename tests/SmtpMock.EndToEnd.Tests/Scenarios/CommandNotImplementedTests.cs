using MailKit.Net.Smtp;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/command-not-implemented.yaml: EHLO, VRFY, EXPN and HELP answer 502.</summary>
[TestFixture]
public sealed class CommandNotImplementedTests
{
    private const string Scenario = "command-not-implemented";

    [Test]
    public async Task MailKit_falls_back_to_helo_and_still_delivers()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();

        await client.ConnectToAsync(server, timeout.Token);
        Assert.That(client.Capabilities, Is.EqualTo(SmtpCapabilities.None), "after HELO MailKit assumes no extension");

        var reply = await client.SendAsync(ScenarioKit.Message("after HELO", "rcpt@example.org"), timeout.Token);
        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));

        var verify = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.VerifyAsync("someone@example.org", timeout.Token));
        var expand = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.ExpandAsync("staff", timeout.Token));
        Assert.That(client.IsConnected, Is.True, "a 502 to VRFY or EXPN does not end the connection");
        await client.DisconnectAsync(quit: true, timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(captured.HeloName, Is.EqualTo(MailKitSender.HeloName));
            Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "rcpt@example.org" }));
            Assert.That(captured.SenderParameters, Is.Empty, "no ESMTP parameters after the HELO fallback");
            Assert.That(server.Messages.Count, Is.EqualTo(1));
            foreach (var refused in new[] { verify, expand })
            {
                Assert.That(refused.StatusCode, Is.EqualTo(SmtpStatusCode.CommandNotImplemented));
                Assert.That((int)refused.StatusCode, Is.EqualTo(502));
                Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.UnexpectedStatusCode));
                Assert.That(ScenarioKit.EnhancedCode(refused), Is.EqualTo("5.5.1"));
                Assert.That(refused.Message, Is.EqualTo("5.5.1 Command not implemented"));
            }
        });

        var session = await server.WaitForSessionAsync(captured.SessionId);
        var path = ScenarioKit.PathOf(Scenario);
        var commands = session.ClientLines();
        Assert.Multiple(() =>
        {
            Assert.That(commands[0], Is.EqualTo($"EHLO {MailKitSender.HeloName}"));
            Assert.That(commands[1], Is.EqualTo($"HELO {MailKitSender.HeloName}"), "HELO right after the refused EHLO");
            Assert.That(commands.Where(c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal)), Is.EqualTo(new[] { $"MAIL FROM:<{ScenarioKit.Sender}>" }));
            Assert.That(commands, Does.Contain("VRFY someone@example.org").And.Contain("EXPN staff"));
            Assert.That(session.RepliesBy("no-ehlo"), Is.EqualTo(new[] { "502 Command not implemented" }), "no enhanced code before EHLO succeeds");
            Assert.That(session.RepliesBy("no-vrfy-expn-help"), Is.EqualTo(new[] { "502 5.5.1 Command not implemented", "502 5.5.1 Command not implemented" }));
            Assert.That(session.FiredNotes(), Is.EqualTo(new[]
            {
                ScenarioKit.FiredNote(path, "no-ehlo", "EHLO"),
                ScenarioKit.FiredNote(path, "no-vrfy-expn-help", "VRFY"),
                ScenarioKit.FiredNote(path, "no-vrfy-expn-help", "EXPN"),
            }));
        });
    }

    [Test]
    public async Task Help_is_answered_502()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        await using (var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, ehlo: null))
        {
            Assert.That(await client.CommandAsync("HELP"), Is.EqualTo(new[] { "502 5.5.1 Command not implemented" }));
            Assert.That(await client.CommandAsync("QUIT"), Is.EqualTo(new[] { "221 2.0.0 Bye" }));
        }

        var session = await server.WaitForSessionAsync(1);
        Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "no-vrfy-expn-help", "HELP") }));
    }
}
