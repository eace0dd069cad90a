using System.Text.RegularExpressions;

namespace SmtpMock.Mta.Tests;

/// <summary>
/// A server that closes with 421 in the middle of a reused connection: Postfix defers only the message it was on,
/// and everything else queued goes out on new connections, each message once.
/// </summary>
[TestFixture]
public sealed class ReconnectAfter421Tests : MtaTest
{
    private const int Messages = 4;

    private const string Queued = @"queued\d@example\.com";

    [Test]
    public async Task A_421_at_the_second_mail_defers_that_message_and_the_rest_go_on_a_new_connection()
    {
        // Only the first connection is cut, so whatever comes after it shows Postfix reconnecting.
        await StartMockAsync(ScenarioYaml.OneRule("second-mail-421", on: "MAIL", reply: "421", when: "{ nth: 2, session: 1 }"));
        var postfix = await CreatePostfixAsync(new Dictionary<string, string>
        {
            // One connection at a time, kept open between messages (for a relay host the name is its bare address),
            // so the second message is sent on the first message's connection.
            ["smtp_destination_concurrency_limit"] = "1",
            ["smtp_connection_cache_destinations"] = "127.0.0.1",
            ["smtp_connection_cache_time_limit"] = "10s",
        });
        var recipients = Enumerable.Range(1, Messages).Select(i => $"queued{i}@example.com").ToList();
        foreach (var recipient in recipients)
        {
            // Postfix is not running yet: the messages wait in maildrop, all queued before the first connection.
            await postfix.SubmitAsync(Sender, recipient, "queued before the first connection");
        }

        await postfix.StartAsync();

        var sent = await postfix.WaitForLogAsync(DeliveryTo(Queued, "sent"), Messages);
        await postfix.WaitUntilEmptyAsync();

        var deferred = postfix.LogLines(DeliveryTo(Queued, "deferred", MockSaid + @"421 4\.4\.2 .*\(in reply to MAIL FROM command\)\)"));
        Assert.That(deferred, Has.Count.EqualTo(1), "only the message the 421 answered is deferred");
        Assert.That(deferred[0], Does.Contain("conn_use=2"), "Postfix was reusing the connection when the 421 came");
        Assert.That(sent, Has.Count.EqualTo(Messages), "each message sent once");

        var first = await Mock.Api.SessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(first.EndReason, Does.Contain("421"), first.ToString());
            Assert.That(first.Messages, Is.EqualTo(1), "one message went through before the 421");
            Assert.That(first.In.Count(line => line.StartsWith("MAIL FROM:", StringComparison.Ordinal)), Is.EqualTo(2), first.ToString());
        });

        var captured = await Mock.Api.MessagesAsync("queued");
        Assert.That(captured.SelectMany(m => m.To), Is.EquivalentTo(recipients), "every queued message captured exactly once");
        var refused = Regex.Match(deferred[0], "to=<([^>]+)>").Groups[1].Value;
        Assert.Multiple(() =>
        {
            Assert.That(captured.Count(m => m.SessionId == 1), Is.EqualTo(1));
            Assert.That(captured.Single(m => m.To.Contains(refused)).SessionId, Is.GreaterThan(1), "the deferred message came back on a new connection");
            Assert.That(captured.Count(m => m.SessionId != 1), Is.EqualTo(Messages - 1));
        });
    }
}
