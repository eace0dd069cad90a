using System.Text;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// Connections that end with a TCP reset mid-command or mid-DATA: the open transaction is discarded, every
/// message completed before it is kept, and the server goes on serving.
/// </summary>
[TestFixture]
public sealed class ResetTests
{
    [Test]
    public async Task A_reset_mid_command_ends_the_session_and_keeps_the_earlier_message()
    {
        await using var server = await TestServer.StartAsync();
        var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "reset-command.test");
        string kept;
        try
        {
            kept = await CompleteMessageAsync(hostile, "kept-before-reset");
            await hostile.WriteAsync("MAIL FROM:<half@example.com>\r\nRCPT TO:<b@exam");
            Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
            hostile.Reset();
        }
        finally
        {
            hostile.Dispose();
        }

        var session = await server.WaitForSessionAsync(1, "reset-command.test");
        Assert.That(session.AcceptedMessages, Is.EqualTo(new[] { kept }));
        Assert.That(session.EndReason, Does.StartWith("connection lost").Or.StartWith("client closed the connection"));
        Assert.That(server.Messages.Ids(), Is.EqualTo(new[] { kept }));
        Assert.That(server.ActiveSessions, Is.Zero);
        await server.AssertBystanderServedAsync("after-reset-command");
    }

    [Test]
    public async Task A_reset_mid_data_discards_that_transaction_and_keeps_the_earlier_message()
    {
        await using var server = await TestServer.StartAsync();
        await using var bystander = await WireClient.ConnectAndGreetAsync(server.EndPoint, "bystander-open.test");
        var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "reset-data.test");
        string kept;
        try
        {
            kept = await CompleteMessageAsync(hostile, "kept-before-reset");
            await hostile.WriteAsync("MAIL FROM:<lost@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
            Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
            Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
            Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("354 "));
            await hostile.WriteAsync("Subject: lost\r\n\r\nThis transaction is cut by a reset\r\n.");
            hostile.Reset();
        }
        finally
        {
            hostile.Dispose();
        }

        var session = await server.WaitForSessionAsync(2, "reset-data.test");
        Assert.That(session.AcceptedMessages, Is.EqualTo(new[] { kept }));
        Assert.That(server.Messages.Ids(), Is.EqualTo(new[] { kept }));
        Assert.That(server.Senders(), Has.None.EqualTo("lost@example.com"));
        // A session opened before the reset is unaffected, and new ones are served.
        var id = await server.AssertTransactionAsync(bystander, "open-during-reset");
        await server.AssertBystanderServedAsync("after-reset-data");
        Assert.That(server.Messages.Ids(), Has.Count.EqualTo(3).And.Contains(kept).And.Contains(id));
    }

    [Test]
    public async Task A_reset_mid_a_spooled_message_leaves_no_file_behind()
    {
        var store = Directory.CreateTempSubdirectory("smtpmock-reset-").FullName;
        var server = await TestServer.StartAsync(o => o with { StoreDirectory = store });
        try
        {
            var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "reset-spool.test");
            string kept;
            try
            {
                kept = await CompleteMessageAsync(hostile, "kept-before-reset");
                await hostile.WriteAsync("MAIL FROM:<spooled@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
                Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
                Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
                Assert.That((await hostile.ReadReplyAsync()).Single(), Does.StartWith("354 "));

                // Past the 4 MiB in-memory threshold, so the content is being spooled to the store directory.
                var line = Encoding.ASCII.GetBytes(new string('s', 998) + "\r\n");
                var block = Enumerable.Repeat(line, 64).SelectMany(l => l).ToArray();
                for (var i = 0; i < 6 * 1024 * 1024 / block.Length; i++)
                {
                    await hostile.WriteAsync(block);
                }

                await server.AssertBystanderServedAsync("during-spool");
                hostile.Reset();
            }
            finally
            {
                hostile.Dispose();
            }

            var session = await server.WaitForSessionAsync(1, "reset-spool.test");
            Assert.That(session.AcceptedMessages, Is.EqualTo(new[] { kept }));
            Assert.That(Directory.EnumerateFiles(Path.Combine(store, ".smtpmock", "tmp")), Is.Empty, "the spool file of the cut message is deleted");
            Assert.That(Directory.EnumerateFiles(store, "*.eml").Count(), Is.EqualTo(2), "the earlier message and the bystander's");
            Assert.That(File.Exists(Path.Combine(store, kept + ".eml")), Is.True);
            Assert.That(server.Senders(), Has.None.EqualTo("spooled@example.com"));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(store, recursive: true);
        }
    }

    [Test]
    public async Task A_half_close_right_after_the_dot_still_gets_the_250_and_the_message_is_kept()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, "half-close.test");
        const string content = "Subject: half-close\r\n\r\nThe client sends FIN after the dot, without QUIT.\r\n";

        // Everything in one write and then FIN, as `nc -N` piping a file does.
        await client.WriteAsync("MAIL FROM:<half-close@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n" + content + ".\r\n");
        client.ShutdownSend();

        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("354 "));
        var accepted = (await client.ReadReplyAsync()).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));
        Assert.That(await client.ReadLineAsync(), Is.Null, "then the server closes too");

        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(accepted));
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
        var session = await server.WaitForSessionAsync(1, "half-close.test");
        Assert.That(session.EndReason, Is.EqualTo("client closed the connection"));
        await server.AssertBystanderServedAsync("after-half-close");
    }

    private static async Task<string> CompleteMessageAsync(WireClient client, string tag)
    {
        await client.WriteAsync($"MAIL FROM:<{tag}@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("354 "));
        var accepted = (await client.CommandAsync($"Subject: {tag}\r\n\r\nCompleted before the reset.\r\n.")).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));
        return TestServer.QueuedId(accepted);
    }
}
