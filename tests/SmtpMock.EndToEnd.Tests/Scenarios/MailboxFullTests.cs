using MailKit.Net.Smtp;
using MimeKit;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/mailbox-full.yaml: 552 5.2.2 for full@*, 452 4.2.2 for busy@* and over-quota@*, others accepted.</summary>
[TestFixture]
public sealed class MailboxFullTests
{
    private const string Scenario = "mailbox-full";

    [Test]
    public async Task Full_is_permanent_busy_is_temporary_and_others_are_captured()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);

        var full = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.SendAsync(ScenarioKit.Message("to full", "full@example.org"), timeout.Token));
        var busy = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.SendAsync(ScenarioKit.Message("to busy", "busy@example.org"), timeout.Token));
        var overQuota = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.SendAsync(ScenarioKit.Message("to over-quota", "Over-Quota@example.net"), timeout.Token));
        var reply = await client.SendAsync(ScenarioKit.Message("to ok", "ok@example.org"), timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(full.ErrorCode, Is.EqualTo(SmtpErrorCode.RecipientNotAccepted));
            Assert.That(full.StatusCode, Is.EqualTo(SmtpStatusCode.ExceededStorageAllocation));
            Assert.That((int)full.StatusCode, Is.EqualTo(552));
            Assert.That(ScenarioKit.EnhancedCode(full), Is.EqualTo("5.2.2"));
            Assert.That(full.Message, Is.EqualTo("5.2.2 Mailbox full"));
            Assert.That(full.Mailbox?.Address, Is.EqualTo("full@example.org"));

            foreach (var (refused, address) in new[] { (busy, "busy@example.org"), (overQuota, "Over-Quota@example.net") })
            {
                Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.RecipientNotAccepted));
                Assert.That(refused.StatusCode, Is.EqualTo(SmtpStatusCode.InsufficientStorage));
                Assert.That((int)refused.StatusCode, Is.EqualTo(452));
                Assert.That(ScenarioKit.EnhancedCode(refused), Is.EqualTo("4.2.2"));
                Assert.That(refused.Message, Is.EqualTo("4.2.2 Mailbox full, try again later"));
                Assert.That(refused.Mailbox?.Address, Is.EqualTo(address));
            }

            Assert.That(server.Messages.Messages.Select(m => m.Id), Is.EqualTo(new[] { TestServer.QueuedId(reply) }), "only the message to ok@ is captured");
            Assert.That(server.Messages.Messages.Single().RecipientAddresses(), Is.EqualTo(new[] { "ok@example.org" }));
        });

        var session = await server.WaitForSessionAsync(1);
        var path = ScenarioKit.PathOf(Scenario);
        Assert.Multiple(() =>
        {
            Assert.That(session.FiredNotes(), Is.EqualTo(new[]
            {
                ScenarioKit.FiredNote(path, "full", "RCPT"),
                ScenarioKit.FiredNote(path, "temporarily-full", "RCPT"),
                ScenarioKit.FiredNote(path, "temporarily-full", "RCPT"),
            }));
            Assert.That(session.RepliesBy("full"), Is.EqualTo(new[] { "552 5.2.2 Mailbox full" }));
            Assert.That(session.RepliesBy("temporarily-full"), Is.EqualTo(new[] { "452 4.2.2 Mailbox full, try again later", "452 4.2.2 Mailbox full, try again later" }));
        });
    }

    [Test]
    public async Task Client_that_tolerates_refused_recipients_delivers_to_the_rest()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.Configure(new PartialDeliveryClient());
        await client.ConnectToAsync(server, timeout.Token);

        var reply = await client.SendAsync(ScenarioKit.Message("partly delivered", "ok@example.org", "full@example.org", "busy@example.org", "also-ok@example.org"), timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);

        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));
        Assert.Multiple(() =>
        {
            Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "ok@example.org", "also-ok@example.org" }));
            Assert.That(captured.Message.To.Mailboxes.Count(), Is.EqualTo(4), "the header still names everyone");
            Assert.That(server.Messages.Count, Is.EqualTo(1));
            Assert.That(client.Refused.Select(r => r.Mailbox.Address), Is.EqualTo(new[] { "full@example.org", "busy@example.org" }));
            Assert.That(client.Refused.Select(r => (int)r.Response.StatusCode), Is.EqualTo(new[] { 552, 452 }));
            Assert.That(client.Refused.Select(r => r.Response.Response), Is.EqualTo(new[] { "5.2.2 Mailbox full", "4.2.2 Mailbox full, try again later" }));
        });

        var session = await server.WaitForSessionAsync(1);
        var path = ScenarioKit.PathOf(Scenario);
        Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(path, "full", "RCPT"), ScenarioKit.FiredNote(path, "temporarily-full", "RCPT") }));
    }

    /// <summary>
    /// MailKit's documented hook for partial delivery: SmtpClient.OnRecipientNotAccepted throws by default; when it
    /// returns, Send goes on with the accepted recipients (and throws only if none was accepted).
    /// </summary>
    private sealed class PartialDeliveryClient : SmtpClient
    {
        public List<(MailboxAddress Mailbox, SmtpResponse Response)> Refused { get; } = [];

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            Refused.Add((mailbox, response));
    }
}
