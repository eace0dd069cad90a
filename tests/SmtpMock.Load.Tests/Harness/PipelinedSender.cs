using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace SmtpMock.Load.Tests.Harness;

/// <summary>
/// A fast sender: several connections at once, each writing a batch of transactions in one go (MAIL, RCPT and
/// <c>BDAT n LAST</c> with the content: RFC 3030 lets all of it be pipelined) and then reading all their replies.
/// Every message must be accepted.
/// </summary>
internal static class PipelinedSender
{
    private const int Connections = 4;
    private const int Batch = 25;

    private static readonly byte[] Content = Encoding.ASCII.GetBytes(
        "Subject: load\r\n\r\n" + string.Concat(Enumerable.Repeat("Forty-odd octets of a pipelined message.\r\n", 24)));

    /// <summary>Sends <paramref name="count"/> messages and returns how long that took.</summary>
    public static async Task<TimeSpan> SendAsync(IPEndPoint server, int count)
    {
        var clock = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            await using var client = await WireClient.ConnectAndGreetAsync(server, "pipelined.test");
            while (true)
            {
                var first = Interlocked.Add(ref next, Batch) - Batch;
                var size = Math.Min(Batch, count - first);
                if (size <= 0)
                {
                    break;
                }

                await client.WriteAsync(BatchOf(first, size));
                for (var i = 0; i < size; i++)
                {
                    Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("250 2.1.0"), "MAIL");
                    Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("250 2.1.5"), "RCPT");
                    Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("250 2.0.0 OK: queued as "), "BDAT LAST");
                }
            }

            Assert.That((await client.CommandAsync("QUIT"))[^1], Does.StartWith("221 "));
        }));
        return clock.Elapsed;
    }

    private static byte[] BatchOf(int first, int size)
    {
        using var batch = new MemoryStream();
        for (var i = first; i < first + size; i++)
        {
            batch.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"MAIL FROM:<load@example.com>\r\nRCPT TO:<r{i}@example.org>\r\nBDAT {Content.Length} LAST\r\n")));
            batch.Write(Content);
        }

        return batch.ToArray();
    }
}
