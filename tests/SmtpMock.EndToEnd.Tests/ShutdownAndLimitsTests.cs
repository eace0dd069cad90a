using System.Text;
using SmtpMock.Server.Session;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>Stopping with sessions open, the connection cap, and clients that vanish mid-message.</summary>
[TestFixture]
public sealed class ShutdownAndLimitsTests
{
    [Test]
    public async Task Stop_sends_421_to_open_sessions_and_keeps_completed_messages()
    {
        var server = await TestServer.StartAsync();
        try
        {
            await using var sender = await WireClient.ConnectAndGreetAsync(server.EndPoint, "sender.test");
            await using var idle = await WireClient.ConnectAndGreetAsync(server.EndPoint, "idle.test");
            await sender.WriteAsync("MAIL FROM:<before-stop@example.com>\r\nRCPT TO:<kept@example.org>\r\nDATA\r\n");
            Assert.That((await sender.ReadReplyAsync()).Single(), Does.StartWith("250 "));
            Assert.That((await sender.ReadReplyAsync()).Single(), Does.StartWith("250 "));
            Assert.That((await sender.ReadReplyAsync()).Single(), Does.StartWith("354 "));
            const string content = "Subject: completed before stop\r\n\r\nStill here after the stop.\r\n";
            var accepted = (await sender.CommandAsync(content + ".")).Single();
            Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));

            await server.StopAsync();

            Assert.That((await idle.ReadReplyAsync()).Single(), Does.StartWith("421 4.3.2"));
            Assert.That(await idle.ReadUntilClosedAsync(), Is.Empty);
            Assert.That((await sender.ReadReplyAsync()).Single(), Does.StartWith("421 4.3.2"));
            Assert.That(await sender.ReadUntilClosedAsync(), Is.Empty);

            var kept = server.Messages.Find(TestServer.QueuedId(accepted));
            Assert.That(kept, Is.Not.Null, "a message acknowledged before the stop stays in the store");
            Assert.That(kept!.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
            Assert.That(kept.Sender.Address, Is.EqualTo("before-stop@example.com"));
            Assert.That(server.Messages.Count, Is.EqualTo(1));
            Assert.That(server.ActiveSessions, Is.Zero);
            Assert.That(server.FinishedSessions.Select(s => s.EndReason), Has.All.EqualTo("server shutting down"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Test]
    public async Task A_session_has_ended_everywhere_before_session_ended_is_raised()
    {
        await using var server = await TestServer.StartAsync();
        var seen = new TaskCompletionSource<(int Active, int Open, bool Kept)>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.SessionEnded += ended => seen.TrySetResult((server.ActiveSessions, server.OpenSessions.Count, server.FinishedSessions.Any(s => s.Id == ended.Id)));

        await using (var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, "one.test"))
        {
            Assert.That((await client.CommandAsync("QUIT")).Single(), Does.StartWith("221 "));
        }

        // A handler (the soak test's idle wait, a fixture's "all done") may count on it: not open, not active, kept.
        Assert.That(await seen.Task.WaitAsync(TestServer.Deadline), Is.EqualTo((0, 0, true)));
    }

    [Test]
    public async Task Connection_over_the_cap_gets_421_and_the_others_keep_working()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxConnections = 2 });
        await using var first = await WireClient.ConnectAndGreetAsync(server.EndPoint, "first.test");
        await using var second = await WireClient.ConnectAndGreetAsync(server.EndPoint, "second.test");

        await using (var third = await WireClient.ConnectAsync(server.EndPoint))
        {
            Assert.That((await third.ReadReplyAsync()).Single(), Does.StartWith("421 4.7.0"));
            Assert.That(await third.ReadUntilClosedAsync(), Is.Empty, "the refused connection is closed after the 421");
        }

        Assert.That((await first.CommandAsync("NOOP")).Single(), Does.StartWith("250 "));
        Assert.That((await second.CommandAsync("NOOP")).Single(), Does.StartWith("250 "));
        Assert.That(server.ActiveSessions, Is.EqualTo(2));

        // A freed slot is usable again.
        Assert.That((await first.CommandAsync("QUIT")).Single(), Does.StartWith("221 "));
        await first.ReadUntilClosedAsync();
        await server.WaitForSessionAsync(1);
        await using var fourth = await WireClient.ConnectAndGreetAsync(server.EndPoint, "fourth.test");
        Assert.That((await fourth.CommandAsync("NOOP")).Single(), Does.StartWith("250 "));
    }

    [Test]
    public async Task Client_that_disconnects_mid_data_leaves_no_message_and_the_next_one_is_captured()
    {
        await using var server = await TestServer.StartAsync();
        await using (var quitter = await WireClient.ConnectAndGreetAsync(server.EndPoint, "quitter.test"))
        {
            await quitter.WriteAsync("MAIL FROM:<lost@example.com>\r\nRCPT TO:<nobody@example.org>\r\nDATA\r\n");
            Assert.That((await quitter.ReadReplyAsync()).Single(), Does.StartWith("250 "));
            Assert.That((await quitter.ReadReplyAsync()).Single(), Does.StartWith("250 "));
            Assert.That((await quitter.ReadReplyAsync()).Single(), Does.StartWith("354 "));
            await quitter.WriteAsync("Subject: never finished\r\n\r\nThis message is cut off in the midd");
        }

        var lost = await server.WaitForSessionAsync(1);
        Assert.That(lost.EndReason, Does.Contain("mid-message"));
        Assert.That(lost.AcceptedMessages, Is.Empty);

        await using var next = await WireClient.ConnectAndGreetAsync(server.EndPoint, "next.test");
        await next.WriteAsync("MAIL FROM:<next@example.com>\r\nRCPT TO:<somebody@example.org>\r\nDATA\r\n");
        Assert.That((await next.ReadReplyAsync()).Single(), Does.StartWith("250 "));
        Assert.That((await next.ReadReplyAsync()).Single(), Does.StartWith("250 "));
        Assert.That((await next.ReadReplyAsync()).Single(), Does.StartWith("354 "));
        const string content = "Subject: complete\r\n\r\nThis one arrives whole.\r\n";
        var accepted = (await next.CommandAsync(content + ".")).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));

        var id = TestServer.QueuedId(accepted);
        var captured = await server.WaitForMessageAsync(m => m.Id == id);
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
        Assert.That(server.Messages.Messages.Select(m => m.Sender.Address), Is.EqualTo(new[] { "next@example.com" }));
        Assert.That(lost.Transcript.Lines.Where(l => l.Direction == TranscriptDirection.In).Select(l => l.Text), Does.Contain("DATA"));
    }
}
