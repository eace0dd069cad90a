namespace SmtpMock.Mta.Tests;

/// <summary>Postfix meets greylisting as a real MTA should: it defers, comes back, and delivers once.</summary>
[TestFixture]
public sealed class GreylistingTests : MtaTest
{
    private const string Recipient = "greylist-2s@smtpmock.test";

    [Test]
    public async Task A_greylisted_message_is_deferred_retried_and_delivered_exactly_once()
    {
        await StartMockAsync();
        var postfix = await StartPostfixAsync();

        await postfix.SubmitAsync(Sender, Recipient, "greylisted");

        await postfix.WaitForLogAsync(Delivery(Recipient, "deferred", MockSaid + @"451 4\.7\.1 "));
        await postfix.WaitForLogAsync(Delivery(Recipient, "sent", @"\(250 2\.0\.0 "));
        await postfix.WaitUntilEmptyAsync();

        var captured = await Mock.Api.MessagesAsync(Recipient);
        Assert.That(captured, Has.Count.EqualTo(1), "captured exactly once");
        Assert.That(postfix.LogLines(Delivery(Recipient, "sent")), Has.Count.EqualTo(1));

        var attempts = (await Mock.Api.ClientsAsync(Recipient)).Single().Attempts;
        Assert.That(attempts, Has.Count.GreaterThanOrEqualTo(2), "at least one refused attempt before the accepted one");
        Assert.Multiple(() =>
        {
            Assert.That(attempts.SkipLast(1).Select(a => a.Reply), Has.All.StartWith("451 4.7.1"));
            Assert.That(attempts[^1].Reply, Does.StartWith("250 "));
            Assert.That(attempts[^1].SessionId, Is.EqualTo(captured[0].SessionId));
            Assert.That(attempts[^1].At - attempts[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "accepted only after the 2 s window");
        });
    }
}
