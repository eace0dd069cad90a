using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace SmtpMock.Load.Tests.Harness;

/// <summary>
/// The well-behaved client whose service a load test watches: one message after another, a new connection every
/// few messages, every message expected to get its 250 (<see cref="WireClient"/> asserts each reply).
/// </summary>
internal static class Bystander
{
    /// <summary>
    /// Sends <paramref name="count"/> messages, <paramref name="perSession"/> per connection. Times each transaction
    /// (MAIL, RCPT and DATA pipelined, the content, its 250) and each connection's start (connect, 220, EHLO's 250).
    /// </summary>
    public static async Task<(Latencies Transactions, Latencies Greetings)> SendAsync(IPEndPoint server, int count, int perSession, string tag)
    {
        var transactions = new Latencies($"{tag} transaction (MAIL to 250)");
        var greetings = new Latencies($"{tag} connect, greeting and EHLO");
        var content = $"Subject: {tag}\r\n\r\n" + string.Concat(Enumerable.Repeat("A line of the bystander's message body.\r\n", 20));
        for (var sent = 0; sent < count;)
        {
            var clock = Stopwatch.StartNew();
            await using var client = await WireClient.ConnectAndGreetAsync(server, "bystander.test");
            greetings.Add(clock.Elapsed);
            for (var i = 0; i < perSession && sent < count; i++, sent++)
            {
                clock.Restart();
                await client.SendMessageAsync($"{tag}@example.com", $"to-{sent.ToString(CultureInfo.InvariantCulture)}@example.org", content);
                transactions.Add(clock.Elapsed);
            }

            Assert.That((await client.CommandAsync("QUIT"))[^1], Does.StartWith("221 "));
        }

        return (transactions, greetings);
    }
}
