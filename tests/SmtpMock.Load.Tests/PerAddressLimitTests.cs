using System.Net;

namespace SmtpMock.Load.Tests;

/// <summary>
/// Issue #24: with the default <c>--max-connections-per-ip 100</c> (loopback not exempt), the 101st connection from
/// one address gets <c>421 4.7.0</c> and is closed, while a client from another address (127.0.0.2 is this machine
/// too) is served a whole message, and a slot freed on the first address is served again. The real process, so the
/// default is the CLI's.
/// </summary>
[TestFixture]
public sealed class PerAddressLimitTests
{
    private const int Limit = 100;

    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");

    [Test]
    public async Task The_connection_past_100_from_one_address_gets_421_while_another_address_is_served()
    {
        await using var server = await ServerProcess.StartAsync();
        var held = new List<RawConnection>();
        try
        {
            for (var i = 0; i < Limit; i++)
            {
                var connection = await RawConnection.ConnectAsync(server.EndPoint);
                held.Add(connection);
                Assert.That(await connection.ReadReplyAsync(), Does.StartWith("220 "), $"connection {i + 1} from 127.0.0.1");
            }

            using (var refused = await RawConnection.ConnectAsync(server.EndPoint))
            {
                var closed = await refused.ReadUntilClosedAsync(WireClient.Deadline);
                TestContext.Out.WriteLine($"connection {Limit + 1} from 127.0.0.1: '{closed.Tail.TrimEnd()}', closed after {closed.After.TotalMilliseconds:0.0} ms");
                Assert.That(closed.Tail, Is.EqualTo("421 4.7.0 Too many connections from your address, try again later\r\n"));
            }

            using (var other = await RawConnection.ConnectAsync(server.EndPoint, from: Other))
            {
                Assert.That(await other.ReadReplyAsync(), Does.StartWith("220 "), "a client from 127.0.0.2");
                await other.CommandAsync("EHLO other.test", "250 ");
                await other.SendAsync("MAIL FROM:<other@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
                Assert.That(await other.ReadReplyAsync(), Does.StartWith("250 "));
                Assert.That(await other.ReadReplyAsync(), Does.StartWith("250 "));
                Assert.That(await other.ReadReplyAsync(), Does.StartWith("354 "));
                await other.CommandAsync("Subject: from another address\r\n\r\nServed.\r\n.", "250 2.0.0 OK: queued as ");
                await other.CommandAsync("QUIT", "221 ");
            }

            // The held connections are all still served, and one freed slot takes a new connection again.
            foreach (var connection in held)
            {
                await connection.CommandAsync("NOOP", "250 ");
            }

            await held[0].CommandAsync("QUIT", "221 ");
            await held[0].ReadUntilClosedAsync(WireClient.Deadline);
            held[0].Dispose();
            held.RemoveAt(0);
            await Poll.UntilAsync(async _ => await GreetedAsync(server.EndPoint), WireClient.Deadline, "a connection from 127.0.0.1 greeted once a slot was freed");
        }
        finally
        {
            foreach (var connection in held)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Connects from 127.0.0.1 and tells whether the server greeted (220), or refused (421) because the freed slot is not counted free yet.</summary>
    private static async Task<bool> GreetedAsync(IPEndPoint server)
    {
        using var connection = await RawConnection.ConnectAsync(server);
        var reply = await connection.ReadReplyAsync();
        Assert.That(reply, Does.StartWith("220 ").Or.StartWith("421 4.7.0"));
        return reply.StartsWith("220 ", StringComparison.Ordinal);
    }
}
