using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace SmtpMock.Cli.Tests.Process;

/// <summary>
/// SIGTERM to the real <c>smtpmock serve --store DIR</c> while sessions are open: idle ones after a completed
/// message, one in a transaction, several in the middle of DATA (one of them large enough to be spooled to DIR).
/// </summary>
[TestFixture]
public sealed class ShutdownUnderLoadTests
{
    private const string ShuttingDown = "421 4.3.2 Server shutting down, closing connection";

    [Test]
    public async Task Sigterm_sends_421_to_every_open_session_exits_zero_and_leaves_exactly_the_acknowledged_messages_on_disk()
    {
        using var store = new StoreFolder();
        var server = await ServerProcess.StartAsync("--store", store.Path);
        var open = new List<(string Name, WireClient Client)>();
        try
        {
            var acknowledged = new Dictionary<string, string>();
            for (var i = 0; i < 4; i++)
            {
                var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, $"done{i}.test");
                open.Add(($"completed {i}", client));
                var content = $"Subject: completed {i}\r\n\r\nAcknowledged before the SIGTERM.\r\n";
                acknowledged[await client.SendMessageAsync($"done{i}@example.com", "b@example.org", content)] = content;
            }

            var inTransaction = await WireClient.ConnectAndGreetAsync(server.EndPoint, "envelope.test");
            open.Add(("in a transaction", inTransaction));
            await inTransaction.WriteAsync("MAIL FROM:<envelope@example.com>\r\nRCPT TO:<b@example.org>\r\n");
            Assert.That((await inTransaction.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
            Assert.That((await inTransaction.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));

            for (var i = 0; i < 4; i++)
            {
                var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, $"partial{i}.test");
                open.Add(($"mid-DATA {i}", client));
                await client.BeginDataAsync($"partial{i}@example.com", "b@example.org");
                await client.WriteAsync($"Subject: partial {i}\r\n\r\nPARTIAL-{i}: the first half of a message, and then\r\n.");
            }

            // One partial message past the 4 MiB in-memory threshold: the server is spooling it to DIR.
            var large = await WireClient.ConnectAndGreetAsync(server.EndPoint, "large.test");
            open.Add(("mid-DATA, spooled", large));
            await large.BeginDataAsync("large@example.com", "b@example.org");
            var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('L', 78) + "\r\n", 800)));
            for (var written = 0; written < 6 * 1024 * 1024; written += block.Length)
            {
                await large.WriteAsync(block);
            }

            await store.WaitForFileAsync(StoreFolder.SpoolPattern, WireClient.Deadline);

            var clock = Stopwatch.StartNew();
            server.Terminate();

            foreach (var (name, client) in open)
            {
                Assert.That((await client.ReadReplyAsync()).Single(), Is.EqualTo(ShuttingDown), name);
                Assert.That(await client.ReadUntilClosedAsync(), Is.Empty, $"{name}: closed after the 421");
            }

            Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(15)), Is.Zero, server.Output);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "from SIGTERM to exit");
            Assert.That(server.Output, Does.Contain("SmtpMock stopped; 4 messages captured"));

            // On disk: each acknowledged message whole, with its envelope, and nothing else.
            Assert.That(store.Names(), Is.EquivalentTo(acknowledged.Keys.SelectMany(id => new[] { id + ".eml", id + ".json" })));
            Assert.That(store.TempNames(), Is.Empty, "no temporary or spool file left");
            foreach (var (id, content) in acknowledged)
            {
                Assert.That(await File.ReadAllBytesAsync(store.PathOf(id + ".eml")), Is.EqualTo(Encoding.ASCII.GetBytes(content)), id);
                using var envelope = JsonDocument.Parse(await File.ReadAllBytesAsync(store.PathOf(id + ".json")));
                Assert.That(envelope.RootElement.GetProperty("id").GetString(), Is.EqualTo(id));
                Assert.That(envelope.RootElement.GetProperty("size").GetInt64(), Is.EqualTo(content.Length));
            }
        }
        finally
        {
            foreach (var (_, client) in open)
            {
                client.Dispose();
            }

            await server.DisposeAsync();
        }
    }
}
