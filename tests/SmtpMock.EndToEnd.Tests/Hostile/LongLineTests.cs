using System.Diagnostics;
using System.Text;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// Lines longer than any limit: a command line is discarded as it arrives (memory stays bounded however long it
/// is) and answered 500 when it ends; a DATA line over the limit is read to the end of data and the message is then
/// refused with 554 5.6.0, nothing of it stored.
/// </summary>
[TestFixture]
public sealed class LongLineTests
{
    private const string LineTooLong = "500 5.5.2 Line too long";
    private const string DataLineTooLong = "554 5.6.0 Message has a line over the maximum length";

    [Test]
    public async Task A_512_octet_command_is_served_and_a_513_octet_one_is_500()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, "limit.test");

        // "NOOP " + argument + CRLF: 5 + n + 2 octets.
        Assert.That((await client.CommandAsync("NOOP " + new string('x', 505))).Single(), Is.EqualTo("250 2.0.0 OK"));
        Assert.That((await client.CommandAsync("NOOP " + new string('x', 506))).Single(), Is.EqualTo(LineTooLong));
        Assert.That((await client.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"));
    }

    [Test]
    public async Task A_megabyte_without_crlf_is_500_when_the_line_ends_and_the_session_still_answers_noop()
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "megabyte.test");

        await hostile.WriteAsync("MAIL FROM:<");
        var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
        for (var i = 0; i < 16; i++)
        {
            await hostile.WriteAsync(chunk);
        }

        // Half a line of a megabyte is open: other sessions are served meanwhile.
        await server.AssertBystanderServedAsync("megabyte");

        await hostile.WriteAsync("@example.com>\r\n");
        Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo(LineTooLong));
        Assert.That((await hostile.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"));
        // The over-long MAIL was not taken: the session is where it was.
        Assert.That((await hostile.CommandAsync("RCPT TO:<b@example.org>")).Single(), Does.StartWith("503 5.5.1"));
        await server.AssertTransactionAsync(hostile, "after-megabyte");
    }

    [Test]
    public async Task Fifty_megabytes_without_crlf_keep_memory_bounded()
    {
        const int chunkSize = 64 * 1024;
        const int chunks = 800; // 50 MiB
        const long sent = (long)chunkSize * chunks;
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "fifty.test");
        var chunk = Encoding.ASCII.GetBytes(new string('z', chunkSize));
        await hostile.WriteAsync("NOOP ");
        await hostile.WriteAsync(chunk); // warm up the paths that allocate once

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var workingSetBefore = self.WorkingSet64;
        var clock = Stopwatch.StartNew();
        for (var i = 1; i < chunks; i++)
        {
            await hostile.WriteAsync(chunk);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "50 MB over loopback took over a minute");
        }

        // The whole line is still open (no LF yet): whatever the server kept of it is still held now.
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        self.Refresh();
        var workingSetGrowth = self.WorkingSet64 - workingSetBefore;
        TestContext.Out.WriteLine($"sent {sent} octets; heap growth {heapAfter - heapBefore}, allocated {allocated}, working set growth {workingSetGrowth}");

        Assert.That(heapAfter - heapBefore, Is.LessThan(4L * 1024 * 1024), "managed heap growth while the line is open");
        Assert.That(allocated, Is.LessThan(sent / 4), "the line is discarded as it arrives, not collected");
        Assert.That(workingSetGrowth, Is.LessThan(sent / 2), "process working set growth");

        await server.AssertBystanderServedAsync("fifty");
        await hostile.WriteAsync("\r\n");
        Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo(LineTooLong));
        Assert.That((await hostile.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"));
    }

    [TestCase(998, true, TestName = "A_1000_octet_DATA_line_is_accepted")]
    [TestCase(999, false, TestName = "A_1001_octet_DATA_line_is_refused")]
    [TestCase(5 * 1024 * 1024, false, TestName = "A_5_MiB_DATA_line_is_refused")]
    public async Task A_data_line_over_the_limit_refuses_the_message_after_the_dot_and_stores_nothing(int textOctets, bool accepted)
    {
        var store = Directory.CreateTempSubdirectory("smtpmock-long-data-").FullName;
        var server = await TestServer.StartAsync(o => o with { StoreDirectory = store });
        try
        {
            await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "long-data.test");
            await hostile.WriteAsync("MAIL FROM:<long@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
            Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
            Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
            Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("354 "));

            var content = "Subject: long line\r\n\r\n" + new string('y', textOctets) + "\r\nafter the long line\r\n";
            await hostile.WriteAsync(content);
            var bystander = await server.AssertBystanderServedAsync("long-data");
            await hostile.WriteAsync(".\r\n");
            var final = (await hostile.ReadReplyAsync()).Single();
            Assert.That((await hostile.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"), "the whole message was read: the next line is a command");

            if (accepted)
            {
                Assert.That(final, Does.StartWith("250 2.0.0 OK: queued as "));
                var id = TestServer.QueuedId(final);
                Assert.That(server.Messages.Find(id)!.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
                return;
            }

            Assert.That(final, Is.EqualTo(DataLineTooLong));
            Assert.That(server.Messages.Ids(), Is.EqualTo(new[] { bystander }), "nothing of the refused message is kept");
            Assert.That(
                Directory.EnumerateFiles(store).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { bystander + ".eml", bystander + ".json" }),
                "nothing half-stored: no .eml, .json or spool file for the refused message");
            await server.AssertTransactionAsync(hostile, "after-long-data");
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(store, recursive: true);
        }
    }
}
