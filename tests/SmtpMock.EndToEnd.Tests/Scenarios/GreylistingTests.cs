using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>
/// scenarios/greylisting.yaml: 451 4.7.1 on the first attempt per client/sender/recipient and on retries within
/// 30 s; the server's clock is a FakeTimeProvider, so "30 s later" is an Advance, not a wait.
/// </summary>
[TestFixture]
public sealed class GreylistingTests
{
    private const string Scenario = "greylisting";
    private const string Recipient = "grey@example.org";

    [Test]
    public async Task First_attempt_and_quick_retry_are_greylisted_and_a_retry_after_30_seconds_is_delivered()
    {
        var clock = new FakeTimeProvider();
        await using var server = await ScenarioKit.StartAsync(Scenario, clock);

        var first = await AttemptAsync(server, ScenarioKit.Message("attempt 1", Recipient));
        clock.Advance(TimeSpan.FromSeconds(5));
        var quickRetry = await AttemptAsync(server, ScenarioKit.Message("attempt 2", Recipient));
        var capturedBeforeWindow = server.Messages.Count;
        clock.Advance(TimeSpan.FromSeconds(26));
        var lateRetry = await AttemptAsync(server, ScenarioKit.Message("attempt 3", Recipient));

        Assert.Multiple(() =>
        {
            foreach (var greylisted in new[] { first, quickRetry })
            {
                Assert.That(greylisted, Is.TypeOf<SmtpCommandException>());
                var refused = (SmtpCommandException)greylisted!;
                Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.RecipientNotAccepted));
                Assert.That(refused.StatusCode, Is.EqualTo(SmtpStatusCode.ErrorInProcessing));
                Assert.That((int)refused.StatusCode, Is.EqualTo(451));
                Assert.That(ScenarioKit.EnhancedCode(refused), Is.EqualTo("4.7.1"));
                Assert.That(refused.Message, Is.EqualTo("4.7.1 Greylisted, please try again later"));
                Assert.That(refused.Mailbox?.Address, Is.EqualTo(Recipient));
            }

            Assert.That(capturedBeforeWindow, Is.Zero, "nothing is captured while greylisted");
            Assert.That(lateRetry, Is.Null, "the retry 31 s after the first attempt is accepted");
            Assert.That(server.Messages.Messages.Select(m => m.Message.Subject), Is.EqualTo(new[] { "attempt 3" }), "captured once");
        });

        var fired = ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "greylist", "RCPT");
        var sessions = new[] { await server.WaitForSessionAsync(1), await server.WaitForSessionAsync(2), await server.WaitForSessionAsync(3) };
        Assert.Multiple(() =>
        {
            Assert.That(sessions[0].FiredNotes(), Is.EqualTo(new[] { fired }));
            Assert.That(sessions[1].FiredNotes(), Is.EqualTo(new[] { fired }));
            Assert.That(sessions[2].FiredNotes(), Is.Empty);
            Assert.That(sessions[0].RepliesBy("greylist"), Is.EqualTo(new[] { "451 4.7.1 Greylisted, please try again later" }));
            Assert.That(sessions[1].RepliesBy("greylist"), Is.EqualTo(new[] { "451 4.7.1 Greylisted, please try again later" }));
            Assert.That(sessions[2].AcceptedMessages, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Passed_triplet_stays_accepted_and_a_new_recipient_is_greylisted_on_its_own()
    {
        var clock = new FakeTimeProvider();
        await using var server = await ScenarioKit.StartAsync(Scenario, clock);

        Assert.That(await AttemptAsync(server, ScenarioKit.Message("attempt 1", Recipient)), Is.TypeOf<SmtpCommandException>());
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.That(await AttemptAsync(server, ScenarioKit.Message("attempt 2", Recipient)), Is.TypeOf<SmtpCommandException>(), "29 s: too soon");
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await AttemptAsync(server, ScenarioKit.Message("attempt 3", Recipient)), Is.Null, "31 s: the window is over");
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.That(await AttemptAsync(server, ScenarioKit.Message("attempt 4", Recipient)), Is.Null, "a passed triplet stays accepted");
        var other = await AttemptAsync(server, ScenarioKit.Message("to another recipient", "other@example.org"));
        Assert.That(other, Is.TypeOf<SmtpCommandException>().With.Property(nameof(SmtpCommandException.StatusCode)).EqualTo(SmtpStatusCode.ErrorInProcessing),
            "another recipient is a new triplet");
        Assert.That(server.Messages.Messages.Select(m => m.Message.Subject), Is.EqualTo(new[] { "attempt 3", "attempt 4" }));
    }

    /// <summary>One delivery attempt on a new connection: null when the message was accepted, else what MailKit threw.</summary>
    private static async Task<Exception?> AttemptAsync(SmtpMockServer server, MimeMessage message)
    {
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);
        Exception? failure = null;
        try
        {
            var reply = await client.SendAsync(message, timeout.Token);
            await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));
        }
        catch (SmtpCommandException e)
        {
            failure = e;
        }

        await client.DisconnectAsync(quit: true, timeout.Token);
        return failure;
    }
}
