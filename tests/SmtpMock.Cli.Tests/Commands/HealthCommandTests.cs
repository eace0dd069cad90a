using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Cli.Tests.Commands;

public class HealthCommandTests
{
    [Test]
    public async Task Health_is_0_against_a_running_server_and_says_quit()
    {
        await using var server = await CommandRun.StartServerAsync();
        var (exit, output, err) = await CommandRun.RunAsync("health", "--port", server.EndPoint.Port.Text());
        Assert.That(exit, Is.Zero, err);
        Assert.That(output, Does.StartWith("healthy: 220 localhost ESMTP SmtpMock"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var session = await server.WaitForSessionEndAsync(1, timeout.Token);
        Assert.That(session.Transcript.Lines.Select(l => l.Text), Has.Some.EqualTo("QUIT"));
    }

    [Test]
    public async Task Health_is_1_when_the_greeting_is_not_220()
    {
        await using var fake = FakeServer.Start(greeting: "554 5.7.1 go away\r\n");
        var (exit, _, err) = await CommandRun.RunAsync("health", "--port", fake.Port.Text());
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(err.Trim(), Is.EqualTo($"smtpmock: unhealthy: 127.0.0.1:{fake.Port} greeted with '554 5.7.1 go away', not 220"));
    }

    [Test]
    public async Task Health_is_1_when_no_greeting_comes_within_the_timeout()
    {
        await using var fake = FakeServer.Start(greeting: null);
        var (exit, _, err) = await CommandRun.RunAsync("health", "--port", fake.Port.Text(), "--timeout", "0.3");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(err, Does.Contain("no 220 greeting").And.Contain("within 0.3 s"));
    }

    [Test]
    public async Task Health_is_1_when_nothing_listens()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var (exit, _, err) = await CommandRun.RunAsync("health", "--port", port.Text());
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(err, Does.StartWith($"smtpmock: unhealthy: cannot talk to 127.0.0.1:{port}"));
    }

    /// <summary>A listener that accepts one client and sends a fixed greeting, or nothing at all.</summary>
    private sealed class FakeServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private Task _serving = Task.CompletedTask;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static FakeServer Start(string? greeting)
        {
            var fake = new FakeServer();
            fake._listener.Start();
            fake._serving = fake.ServeAsync(greeting);
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped while accepting or waiting: expected.
            }

            _stop.Dispose();
        }

        private async Task ServeAsync(string? greeting)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (greeting is not null)
            {
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(greeting), _stop.Token);
            }

            // Hold the connection open until the test ends.
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
    }
}
