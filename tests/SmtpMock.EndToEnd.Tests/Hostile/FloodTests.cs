using System.Text;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// Floods: of unknown commands in one session (421 4.7.0 after <c>MaxBadCommands</c>), and of connections past
/// <c>MaxConnections</c> (421 4.7.0 each, while the sessions already open go on and the accept loop lives on).
/// </summary>
[TestFixture]
public sealed class FloodTests
{
    [Test]
    public async Task Unknown_commands_past_the_limit_get_421_and_the_connection_closes()
    {
        const int limit = 5;
        await using var server = await TestServer.StartAsync(o => o with { MaxBadCommands = limit });
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "bad-commands.test");

        for (var i = 0; i < limit - 1; i++)
        {
            Assert.That((await hostile.CommandAsync($"FOOBAR {i}")).Single(), Is.EqualTo("500 5.5.2 Command unrecognized"));
        }

        await server.AssertBystanderServedAsync("bad-commands");

        // The rest of the flood in one write: the limit's last 500, then 421, then nothing more is read.
        var flood = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            flood.Append($"FOOBAR {limit + i}\r\n");
        }

        await hostile.WriteAsync(flood.ToString());
        Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo("500 5.5.2 Command unrecognized"));
        Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo("421 4.7.0 Too many errors, closing connection"));
        Assert.That(await hostile.ReadUntilClosedAsync(), Is.Empty, "closed right after the 421");

        var session = await server.WaitForSessionAsync(1, "bad-commands.test");
        Assert.That(session.EndReason, Is.EqualTo("too many bad commands"));
        Assert.That(session.BadCommands, Is.EqualTo(limit + 1));
        await server.AssertBystanderServedAsync("after-bad-commands");
    }

    [Test]
    public async Task The_default_limit_is_twenty_bad_commands()
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "twenty.test");

        var flood = new StringBuilder();
        for (var i = 0; i < 30; i++)
        {
            flood.Append("\r\n");
        }

        await hostile.WriteAsync(flood.ToString());
        for (var i = 0; i < 20; i++)
        {
            Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo("500 5.5.2 Empty command"), $"bad command {i + 1}");
        }

        Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo("421 4.7.0 Too many errors, closing connection"));
        Assert.That(await hostile.ReadUntilClosedAsync(), Is.Empty);
        await server.AssertBystanderServedAsync("twenty");
    }

    [Test]
    public async Task Connections_past_the_cap_get_421_while_open_sessions_go_on_and_the_accept_loop_lives_on()
    {
        const int cap = 3;
        const int flood = 40;
        await using var server = await TestServer.StartAsync(o => o with { MaxConnections = cap });
        var hogs = new List<WireClient>();
        try
        {
            for (var i = 0; i < cap - 1; i++)
            {
                hogs.Add(await WireClient.ConnectAndGreetAsync(server.EndPoint, $"hog{i}.test"));
            }

            await using var resident = await WireClient.ConnectAndGreetAsync(server.EndPoint, "resident.test");
            Assert.That(server.ActiveSessions, Is.EqualTo(cap));

            // The flood and a whole transaction of a session that was already open, at the same time.
            var refusals = Enumerable.Range(0, flood).Select(_ => RefusedAsync(server)).ToList();
            var id = await server.AssertTransactionAsync(resident, "resident");
            var refused = await Task.WhenAll(refusals);

            Assert.That(refused, Has.All.EqualTo("421 4.7.0 Too many connections, try again later\r\n"), "each extra connection gets exactly the 421, then the close");
            Assert.That(server.Messages.Ids(), Is.EqualTo(new[] { id }));
            Assert.That(server.ActiveSessions, Is.EqualTo(cap));

            // Once one slot frees, a new client is served whole: the accept loop survived the flood.
            Assert.That((await resident.CommandAsync("QUIT")).Single(), Does.StartWith("221 "));
            await server.WaitForSessionAsync(cap, "resident.test");
            await server.AssertBystanderServedAsync("after-flood");

            foreach (var hog in hogs)
            {
                Assert.That((await hog.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"), "the idle sessions were not disturbed");
            }
        }
        finally
        {
            foreach (var hog in hogs)
            {
                await hog.DisposeAsync();
            }
        }
    }

    /// <summary>Connects and returns everything the server sent before it closed the connection.</summary>
    private static async Task<string> RefusedAsync(Server.Hosting.SmtpMockServer server)
    {
        await using var client = await WireClient.ConnectAsync(server.EndPoint);
        return await client.ReadUntilClosedAsync();
    }
}
