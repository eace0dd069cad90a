using System.Net;
using System.Net.Sockets;
using System.Text;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Tests.Process;

/// <summary>
/// <c>kill -9</c> of the real <c>smtpmock serve --store DIR</c> while a 20 MB message is being spooled to DIR: the
/// folder then lists only whole messages, and the next server on it removes the leftover spool file at start.
/// </summary>
[TestFixture]
public sealed class KillDuringWriteTests
{
    private const int LargeMessageOctets = 20 * 1024 * 1024;

    [Test]
    public async Task Kill_minus_9_mid_message_leaves_only_whole_messages_and_the_next_server_removes_the_spool()
    {
        using var store = new StoreFolder();
        const string earlierContent = "Subject: earlier\r\n\r\nCompleted before the kill.\r\n";
        string earlierId;

        var server = await ServerProcess.StartAsync("--store", store.Path);
        try
        {
            using (var first = await WireClient.ConnectAndGreetAsync(server.EndPoint, "earlier.test"))
            {
                earlierId = await first.SendMessageAsync("earlier@example.com", "b@example.org", earlierContent);
                Assert.That((await first.CommandAsync("QUIT")).Single(), Does.StartWith("221 "));
            }

            using var large = await WireClient.ConnectAndGreetAsync(server.EndPoint, "large.test");
            await large.BeginDataAsync("large@example.com", "b@example.org");
            using var stop = new CancellationTokenSource();
            var writer = StreamContentAsync(large, stop.Token);

            // The server has passed the in-memory threshold and is writing the message to DIR as it arrives.
            await store.WaitForFileAsync(StoreFolder.SpoolPattern, WireClient.Deadline);
            var flowing = !writer.IsCompleted;
            server.KillHard();
            Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(15)), Is.Not.Zero, "killed, not exited");
            await stop.CancelAsync();
            var sent = await writer;
            TestContext.Out.WriteLine($"{sent} octets sent; the client was {(flowing ? "still" : "no longer")} writing at the kill (the final dot is never sent)");
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.That(store.TempNames(StoreFolder.SpoolPattern), Is.Not.Empty, "the kill left the half-written spool file (the case under test)");
        Assert.That(store.Names("*.eml"), Is.EqualTo(new[] { earlierId + ".eml" }), "no half-written .eml is listed");
        Assert.That(store.Names("*.json"), Is.EqualTo(new[] { earlierId + ".json" }));

        // A new server process on the same folder: the spool is gone once it listens, and it works.
        string laterId;
        const string laterContent = "Subject: later\r\n\r\nSent to the restarted server.\r\n";
        var restarted = await ServerProcess.StartAsync("--store", store.Path);
        try
        {
            Assert.That(store.TempNames(), Is.Empty, "leftover temporary files are removed at start");
            using (var client = await WireClient.ConnectAndGreetAsync(restarted.EndPoint, "later.test"))
            {
                laterId = await client.SendMessageAsync("later@example.com", "b@example.org", laterContent);
                Assert.That((await client.CommandAsync("QUIT")).Single(), Does.StartWith("221 "));
            }

            restarted.Terminate();
            Assert.That(await restarted.WaitForExitAsync(TimeSpan.FromSeconds(15)), Is.Zero, restarted.Output);
        }
        finally
        {
            await restarted.DisposeAsync();
        }

        // What a server on the folder lists: exactly the two whole messages, byte for byte.
        var listing = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), StoreDirectory = store.Path });
        try
        {
            await listing.StartAsync();
            var messages = listing.Messages.Messages;
            Assert.That(messages.Select(m => m.Id), Is.EqualTo(new[] { earlierId, laterId }));
            Assert.That(messages[0].Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(earlierContent)));
            Assert.That(messages[1].Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(laterContent)));
            Assert.That(messages.Select(m => m.Sender.Address), Is.EqualTo(new[] { "earlier@example.com", "later@example.com" }));
        }
        finally
        {
            await listing.DisposeAsync();
        }

        Assert.That(store.Names(), Is.EquivalentTo(new[] { earlierId + ".eml", earlierId + ".json", laterId + ".eml", laterId + ".json" }));
    }

    /// <summary>Writes up to 20 MB of message lines, never the final dot; stops at the kill (or on cancellation).</summary>
    private static async Task<long> StreamContentAsync(WireClient client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('K', 78) + "\r\n", 800)));
        long sent = 0;
        try
        {
            await client.WriteAsync(Encoding.ASCII.GetBytes("Subject: large\r\n\r\n"), cancellationToken);
            while (sent < LargeMessageOctets)
            {
                await client.WriteAsync(block, cancellationToken);
                sent += block.Length;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server was killed mid-stream: that is the point.
        }

        return sent;
    }
}
