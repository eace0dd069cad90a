using MailKit.Net.Smtp;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/drop-mid-data.yaml: after the final dot the server closes the connection without replying.</summary>
[TestFixture]
public sealed class DropMidDataTests
{
    private const string Scenario = "drop-mid-data";

    [Test]
    public async Task MailKit_reports_the_disconnect_and_nothing_is_captured()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);

        // MailKit's SmtpStream reads 0 bytes where the final reply should be and throws SmtpProtocolException.
        var failure = await ScenarioKit.CatchAsync<SmtpProtocolException>(() =>
            client.SendAsync(ScenarioKit.Message("dropped", "rcpt@example.org"), timeout.Token));

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.StartWith("The SMTP server has unexpectedly disconnected"));
            Assert.That(client.IsConnected, Is.False);
            Assert.That(server.Messages.Count, Is.Zero, "a message the client never got a 250 for is not captured");
        });

        var session = await server.WaitForSessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(session.EndReason, Is.EqualTo("closed without a reply by rule 'drop'"));
            Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "drop", "MESSAGE") }));
            Assert.That(session.Notes(), Does.Contain("session ended: closed without a reply by rule 'drop'"));
            Assert.That(session.Notes(), Has.Some.StartWith("DATA content: "), "the whole message was read");
            Assert.That(session.Replies()[^1], Does.StartWith("354 "), "nothing after the 354");
            Assert.That(session.AcceptedMessages, Is.Empty);
        });
    }

    [Test]
    public async Task With_bdat_the_connection_is_dropped_after_the_last_chunk_and_nothing_is_captured()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.Configure(new BdatSmtpClient(new WireRecorder()));
        await client.ConnectToAsync(server, timeout.Token);

        var failure = await ScenarioKit.CatchAsync<SmtpProtocolException>(() =>
            client.SendAsync(ScenarioKit.Message("dropped after BDAT", "rcpt@example.org"), timeout.Token));

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.StartWith("The SMTP server has unexpectedly disconnected"));
            Assert.That(server.Messages.Count, Is.Zero);
        });

        var session = await server.WaitForSessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(session.ClientLines(), Has.Some.Match(@"^BDAT \d+ LAST$"));
            Assert.That(session.EndReason, Is.EqualTo("closed without a reply by rule 'drop'"));
            Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "drop", "MESSAGE") }));
            Assert.That(session.AcceptedMessages, Is.Empty);
        });
    }
}
