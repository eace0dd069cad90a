using System.Text;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// Envelopes past the limits: a SIZE no integer type holds (552 5.3.4, no overflow into something small), and more
/// recipients than the limit (452 4.5.3 for each extra one, while those accepted before stay in the message).
/// </summary>
[TestFixture]
public sealed class EnvelopeLimitTests
{
    private const string TooBig = "552 5.3.4 Message size exceeds fixed maximum message size";

    [TestCase("99999999999999999999", TestName = "Twenty_nines")]
    [TestCase("9223372036854775807", TestName = "Long_MaxValue")]
    [TestCase("9223372036854775808", TestName = "Long_MaxValue_plus_one")]
    [TestCase("18446744073709551616", TestName = "Two_to_the_64th")]
    [TestCase("18446744073709551617", TestName = "Two_to_the_64th_plus_one_wrapping_to_1")]
    [TestCase("36700161", TestName = "One_over_the_limit")]
    public async Task An_absurd_size_is_552_and_opens_no_transaction(string size)
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "size.test");

        Assert.That((await hostile.CommandAsync($"MAIL FROM:<big@example.com> SIZE={size}")).Single(), Is.EqualTo(TooBig));

        await server.AssertBystanderServedAsync("size");
        Assert.That((await hostile.CommandAsync("RCPT TO:<b@example.org>")).Single(), Does.StartWith("503 5.5.1"), "the refused MAIL opened nothing");
        await server.AssertTransactionAsync(hostile, "after-size");
    }

    [Test]
    public async Task A_four_hundred_digit_size_is_552()
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "digits.test");

        // 400 digits: the MAIL line stays under 512 + 26 octets, so it is judged on its SIZE, not its length.
        Assert.That((await hostile.CommandAsync("MAIL FROM:<a@b.test> SIZE=" + new string('9', 400))).Single(), Is.EqualTo(TooBig));
        Assert.That((await hostile.CommandAsync("MAIL FROM:<a@b.test> SIZE=" + new string('0', 399) + "1")).Single(), Does.StartWith("250 2.1.0"), "leading zeros are still a small number");
    }

    [Test]
    public async Task Recipients_past_the_limit_get_452_and_the_accepted_ones_are_kept()
    {
        const int limit = 100;
        const int sent = 150;
        await using var server = await TestServer.StartAsync(o => o with { MaxRecipients = limit });
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "flood.test");

        var burst = new StringBuilder("MAIL FROM:<flood@example.com>\r\n");
        for (var i = 0; i < sent; i++)
        {
            burst.Append($"RCPT TO:<r{i}@example.org>\r\n");
        }

        await hostile.WriteAsync(burst.ToString());
        Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        var replies = new List<string>();
        for (var i = 0; i < sent; i++)
        {
            replies.Add((await hostile.ReadReplyAsync()).Single());
        }

        Assert.That(replies.Take(limit), Has.All.EqualTo("250 2.1.5 Recipient OK"));
        Assert.That(replies.Skip(limit), Has.All.EqualTo("452 4.5.3 Too many recipients"));

        await server.AssertBystanderServedAsync("recipients");
        // 452s are not bad commands: a flood of them does not close the session.
        Assert.That((await hostile.CommandAsync("RCPT TO:<one-more@example.org>")).Single(), Is.EqualTo("452 4.5.3 Too many recipients"));
        Assert.That((await hostile.CommandAsync("DATA")).Single(), Does.StartWith("354 "));
        const string content = "Subject: many recipients\r\n\r\nTo the first hundred.\r\n";
        var accepted = (await hostile.CommandAsync(content + ".")).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));

        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(accepted));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(Enumerable.Range(0, limit).Select(i => $"r{i}@example.org")));
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
    }
}
