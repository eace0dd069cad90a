using MailKit.Net.Smtp;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/bad-sequence.yaml: 503 on the second RCPT of each transaction and on the third MAIL of a connection.</summary>
[TestFixture]
public sealed class BadSequenceTests
{
    private const string Scenario = "bad-sequence";

    [Test]
    public async Task Second_recipient_is_refused_and_nothing_is_sent()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);

        var refused = await ScenarioKit.CatchAsync<SmtpCommandException>(() =>
            client.SendAsync(ScenarioKit.Message("two recipients", "first@example.org", "second@example.org"), timeout.Token));
        await client.DisconnectAsync(quit: true, timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.RecipientNotAccepted));
            Assert.That(refused.StatusCode, Is.EqualTo(SmtpStatusCode.BadCommandSequence));
            Assert.That((int)refused.StatusCode, Is.EqualTo(503));
            Assert.That(ScenarioKit.EnhancedCode(refused), Is.EqualTo("5.5.1"));
            Assert.That(refused.Message, Is.EqualTo("5.5.1 Bad sequence of commands"));
            Assert.That(refused.Mailbox?.Address, Is.EqualTo("second@example.org"));
            Assert.That(server.Messages.Count, Is.Zero, "nothing is captured");
        });

        var session = await server.WaitForSessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "second-rcpt", "RCPT") }));
            Assert.That(session.RepliesBy("second-rcpt"), Is.EqualTo(new[] { "503 5.5.1 Bad sequence of commands" }));
            Assert.That(session.ClientLines(), Does.Not.Contain("DATA"), "MailKit never sends DATA after a refused recipient");
            Assert.That(session.ClientLines(), Does.Contain("RSET"));
            Assert.That(session.AcceptedMessages, Is.Empty);
        });
    }

    [Test]
    public async Task Third_mail_of_a_connection_is_refused_after_two_good_messages()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);

        var first = await client.SendAsync(ScenarioKit.Message("message 1", "one@example.org"), timeout.Token);
        var second = await client.SendAsync(ScenarioKit.Message("message 2", "two@example.org"), timeout.Token);
        var refused = await ScenarioKit.CatchAsync<SmtpCommandException>(() =>
            client.SendAsync(ScenarioKit.Message("message 3", "three@example.org"), timeout.Token));
        var capturedBeforeRecovery = server.Messages.Messages.Select(m => m.Message.Subject).ToList();

        // MailKit sent RSET and kept the connection: the next MAIL (the 4th) goes through.
        Assert.That(client.IsConnected, Is.True);
        var fourth = await client.SendAsync(ScenarioKit.Message("message 4", "four@example.org"), timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.SenderNotAccepted));
            Assert.That(refused.StatusCode, Is.EqualTo(SmtpStatusCode.BadCommandSequence));
            Assert.That((int)refused.StatusCode, Is.EqualTo(503));
            Assert.That(ScenarioKit.EnhancedCode(refused), Is.EqualTo("5.5.1"));
            Assert.That(refused.Message, Is.EqualTo("5.5.1 Bad sequence of commands"));
            Assert.That(refused.Mailbox?.Address, Is.EqualTo(ScenarioKit.Sender));
            Assert.That(capturedBeforeRecovery, Is.EqualTo(new[] { "message 1", "message 2" }), "the two good messages are captured");
            Assert.That(server.Messages.Messages.Select(m => m.Id), Is.EqualTo(new[] { first, second, fourth }.Select(TestServer.QueuedId)));
            Assert.That(server.Messages.Messages.Select(m => m.Message.Subject), Is.EqualTo(new[] { "message 1", "message 2", "message 4" }));
        });

        var session = await server.WaitForSessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "third-mail", "MAIL") }));
            Assert.That(session.RepliesBy("third-mail"), Is.EqualTo(new[] { "503 5.5.1 Bad sequence of commands" }));
            Assert.That(session.ClientLines().Count(c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal)), Is.EqualTo(4));
        });
    }

    /// <summary>
    /// A pipelining client whose third MAIL is refused has its RCPT refused with it (no transaction is open). It may
    /// then send MAIL again without RSET (the refused MAIL opened nothing, RFC 5321 §4.1.4). The RCPT that follows
    /// is the first of the new transaction and must be accepted: "per: transaction" counts since MAIL
    /// (docs/scenarios.md), and the scenario refuses only the second RCPT of a transaction.
    /// </summary>
    [Test]
    public async Task First_recipient_of_a_transaction_after_a_refused_mail_is_accepted()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        await using (var client = await WireClient.ConnectAndGreetAsync(server.EndPoint))
        {
            for (var i = 1; i <= 2; i++)
            {
                Assert.That(await client.CommandAsync("MAIL FROM:<sender@example.com>"), Is.EqualTo(new[] { "250 2.1.0 Sender OK" }));
                Assert.That(await client.CommandAsync($"RCPT TO:<rcpt{i}@example.org>"), Is.EqualTo(new[] { "250 2.1.5 Recipient OK" }));
                Assert.That((await client.CommandAsync("DATA")).Single(), Does.StartWith("354 "));
                Assert.That((await client.CommandAsync($"Subject: message {i}\r\n\r\nbody\r\n.")).Single(), Does.StartWith("250 2.0.0 OK: queued as "));
            }

            await client.WriteAsync("MAIL FROM:<sender@example.com>\r\nRCPT TO:<rcpt3@example.org>\r\n");
            Assert.That(await client.ReadReplyAsync(), Is.EqualTo(new[] { "503 5.5.1 Bad sequence of commands" }), "the third MAIL (the rule)");
            Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("503 5.5.1 "), "RCPT without an open transaction (the server)");

            Assert.That(await client.CommandAsync("MAIL FROM:<sender@example.com>"), Is.EqualTo(new[] { "250 2.1.0 Sender OK" }));
            Assert.That(await client.CommandAsync("RCPT TO:<rcpt3@example.org>"), Is.EqualTo(new[] { "250 2.1.5 Recipient OK" }), "the first RCPT of this transaction");
            Assert.That(await client.CommandAsync("RCPT TO:<second3@example.org>"), Is.EqualTo(new[] { "503 5.5.1 Bad sequence of commands" }), "the second RCPT of this transaction");
            Assert.That(await client.CommandAsync("QUIT"), Is.EqualTo(new[] { "221 2.0.0 Bye" }));
        }

        var session = await server.WaitForSessionAsync(1);
        var path = ScenarioKit.PathOf(Scenario);
        Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(path, "third-mail", "MAIL"), ScenarioKit.FiredNote(path, "second-rcpt", "RCPT") }));
    }
}
