using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// Limits real servers have (issue #24): a whole message has a deadline however slowly it trickles in (the data timeout
/// restarts on every read, so one byte every few minutes held a session for ever), and one client address can hold only
/// so many connections (loopback too).
/// </summary>
[TestFixture]
public sealed class DeadlineAndPerAddressTests
{
    [Test]
    public async Task A_message_that_trickles_in_is_cut_at_the_message_deadline_and_not_captured()
    {
        await using var server = await TestServer.StartAsync(o => o with { DataTimeout = TimeSpan.FromSeconds(30), DataDeadline = TimeSpan.FromSeconds(2) });
        await using var slow = await WireClient.ConnectAndGreetAsync(server.EndPoint, "trickle.test");
        await slow.BeginDataAsync("slow@example.com", "b@example.org");

        // One byte every 100 ms: never silent for the 30 s data timeout, so only the deadline for the whole message ends it.
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 200 && !slow.HasPendingInput; i++)
        {
            await slow.WriteAsync("x");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var reply = await slow.ReadLineAsync();
        Assert.That(reply, Is.EqualTo("421 4.4.2 Message took too long to arrive, closing connection"));
        Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)), "not before the deadline");
        var session = await server.WaitForSessionAsync(1, "trickle.test");
        Assert.That(session.EndReason, Is.EqualTo("message deadline; open transaction discarded"));
        Assert.That(server.Messages.Count, Is.Zero);
    }

    [Test]
    public async Task One_address_past_its_connection_limit_gets_421_and_a_freed_slot_is_served_again()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxConnectionsPerAddress = 2 });
        await using var first = await WireClient.ConnectAndGreetAsync(server.EndPoint, "one.test");
        await using var second = await WireClient.ConnectAndGreetAsync(server.EndPoint, "two.test");

        await using (var third = await WireClient.ConnectAsync(server.EndPoint))
        {
            Assert.That(await third.ReadLineAsync(), Is.EqualTo("421 4.7.0 Too many connections from your address, try again later"));
            Assert.That(await third.ReadUntilClosedAsync(), Is.Empty);
        }

        await first.CommandAsync("QUIT");
        await server.WaitForSessionAsync(1, "one.test");
        await using var fourth = await WireClient.ConnectAndGreetAsync(server.EndPoint, "four.test");
        Assert.That((await fourth.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"));
    }
}
