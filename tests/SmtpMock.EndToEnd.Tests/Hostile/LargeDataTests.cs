using System.Diagnostics;
using System.Text;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// DATA far past the size limit: streamed through with bounded memory (what is over the limit is not kept), read
/// to the real end of data, then refused with 552 5.3.4; nothing is captured and the session goes on.
/// </summary>
[TestFixture]
public sealed class LargeDataTests
{
    [Test]
    public async Task A_hundred_megabytes_of_data_over_the_limit_are_streamed_with_bounded_memory_then_refused()
    {
        const long limit = 1024 * 1024;
        const int blocks = 1280; // of 80 KiB: 100 MiB
        await using var server = await TestServer.StartAsync(o => o with { MaxMessageSize = limit });
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "huge.test");
        await hostile.WriteAsync("MAIL FROM:<huge@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("354 "));
        var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('h', 78) + "\r\n", 1024)));
        await hostile.WriteAsync("Subject: huge\r\n\r\n");
        await hostile.WriteAsync(block);

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        for (var i = 1; i < blocks; i++)
        {
            await hostile.WriteAsync(block);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "100 MB over loopback took over a minute");
        }

        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        TestContext.Out.WriteLine($"{(long)blocks * block.Length} octets of DATA; heap growth {heapGrowth} while the message was open");
        Assert.That(heapGrowth, Is.LessThan(limit + (4L * 1024 * 1024)), "at most the size limit is kept, plus buffers");

        var bystander = await server.AssertBystanderServedAsync("huge");
        await hostile.WriteAsync(".\r\n");
        Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo("552 5.3.4 Message size exceeds fixed maximum message size"));
        Assert.That((await hostile.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"));
        Assert.That(server.Messages.Ids(), Is.EqualTo(new[] { bystander }));
        await server.AssertTransactionAsync(hostile, "after-huge");
    }
}
