using MailKit.Net.Smtp;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/rate-limited.yaml: the 4th MAIL of a connection gets 421 4.7.0 and the connection closes.</summary>
[TestFixture]
public sealed class RateLimitedTests
{
    private const string Scenario = "rate-limited";

    [Test]
    public async Task Fourth_message_on_one_connection_gets_421_and_a_new_connection_carries_on()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        var replies = new List<string>();
        SmtpCommandException refused;
        using (var client = ScenarioKit.NewClient())
        {
            await client.ConnectToAsync(server, timeout.Token);
            for (var i = 1; i <= 3; i++)
            {
                replies.Add(await client.SendAsync(ScenarioKit.Message($"message {i}", "rcpt@example.org"), timeout.Token));
            }

            refused = await ScenarioKit.CatchAsync<SmtpCommandException>(() =>
                client.SendAsync(ScenarioKit.Message("message 4", "rcpt@example.org"), timeout.Token));
            Assert.That(client.IsConnected, Is.False, "the server closed the connection after the 421");
        }

        var capturedOnFirstConnection = server.Messages.Messages.Select(m => m.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.SenderNotAccepted));
            Assert.That(refused.StatusCode, Is.EqualTo(SmtpStatusCode.ServiceNotAvailable));
            Assert.That((int)refused.StatusCode, Is.EqualTo(421));
            Assert.That(ScenarioKit.EnhancedCode(refused), Is.EqualTo("4.7.0"));
            Assert.That(refused.Message, Is.EqualTo("4.7.0 Too many messages on this connection, slow down"));
            Assert.That(capturedOnFirstConnection, Is.EqualTo(replies.Select(TestServer.QueuedId)), "the first 3 are captured");
        });

        var session = await server.WaitForSessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "fourth-message", "MAIL") }));
            Assert.That(session.RepliesBy("fourth-message"), Is.EqualTo(new[] { "421 4.7.0 Too many messages on this connection, slow down" }));
            Assert.That(session.Replies()[^1], Is.EqualTo("421 4.7.0 Too many messages on this connection, slow down"), "the 421 is the last word");
            Assert.That(session.EndReason, Is.EqualTo("closed after 421"));
            Assert.That(session.ClientLines().Count(c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal)), Is.EqualTo(4));
        });

        // A client that reconnects delivers the rest.
        using (var client = ScenarioKit.NewClient())
        {
            await client.ConnectToAsync(server, timeout.Token);
            var reply = await client.SendAsync(ScenarioKit.Message("message 4", "rcpt@example.org"), timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));
            Assert.That(captured.SessionId, Is.EqualTo(2));
        }

        Assert.That(server.Messages.Messages.Select(m => m.Message.Subject), Is.EqualTo(new[] { "message 1", "message 2", "message 3", "message 4" }));
    }
}
