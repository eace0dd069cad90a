using System.Globalization;

namespace SmtpMock.Cli.Tests.Process;

/// <summary>
/// One port, one server: a second smtpmock on a port in use is refused (it would otherwise share the port and get
/// half the mail), and a server restarted on a port its predecessor left in TIME_WAIT starts at once.
/// </summary>
[TestFixture]
public sealed class PortTests
{
    [Test]
    public async Task Second_server_on_a_port_in_use_exits_1_with_one_line_saying_what_to_do()
    {
        using var first = new StoreFolder();
        using var second = new StoreFolder();
        await using var running = await ServerProcess.StartAsync("--store", first.Path);

        var (code, output) = await ServerProcess.RunToExitAsync(running.Port, "--store", second.Path);

        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output.Split(Environment.NewLine), Is.EqualTo(new[]
        {
            $"stderr: smtpmock: cannot listen on 127.0.0.1:{running.Port}: address already in use (is another smtpmock running? pick another --port)",
        }));
        Assert.That(running.HasExited, Is.False);
    }

    [Test]
    public async Task A_restart_on_a_port_left_in_TIME_WAIT_starts_at_once()
    {
        int port;
        await using (var before = await ServerProcess.StartAsync())
        {
            port = before.Port;
            await using (var client = await WireClient.ConnectAndGreetAsync(before.EndPoint))
            {
                // The server closes first after 221: its side of the connection is the one left in TIME_WAIT.
                Assert.That((await client.CommandAsync("QUIT")).Single(), Does.StartWith("221"));
                await client.ReadUntilClosedAsync();
            }

            before.Terminate();
            Assert.That(await before.WaitForExitAsync(ServerProcess.StartDeadline), Is.Zero);
        }

        Assert.That(InTimeWait(port), Is.True, $"a connection on port {port} is in TIME_WAIT");
        await using var after = await ServerProcess.StartOnPortAsync(port);
        Assert.That(after.Port, Is.EqualTo(port));
    }

    [Test]
    public async Task A_normal_start_says_listening_once()
    {
        var server = await ServerProcess.StartAsync();
        await using (server)
        {
            server.Terminate();
            Assert.That(await server.WaitForExitAsync(ServerProcess.StartDeadline), Is.Zero);
        }

        var lines = server.Output.Split(Environment.NewLine);
        Assert.That(lines.Where(l => l.Contains("listening", StringComparison.OrdinalIgnoreCase)), Is.EqualTo(new[]
        {
            $"SmtpMock {SmtpMock.Server.Hosting.SmtpServerOptions.Version} listening on smtp://127.0.0.1:{server.Port} (Ctrl+C to stop)",
        }));
        Assert.That(lines.Any(l => l.EndsWith("SmtpMock stopped; 0 messages captured", StringComparison.Ordinal)), Is.True, server.Output);
    }

    /// <summary>Whether /proc/net/tcp lists a connection from local port <paramref name="port"/> in TIME_WAIT (06).</summary>
    private static bool InTimeWait(int port)
    {
        var local = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => fields[1].EndsWith(local, StringComparison.Ordinal) && fields[3] == "06");
    }
}
