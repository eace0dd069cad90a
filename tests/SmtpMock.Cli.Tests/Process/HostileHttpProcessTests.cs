using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Cli.Tests.Process;

/// <summary>
/// One HTTP request, or a crowd of them, must never take the SMTP side down (issue #25 items 1 and 2), checked on the
/// real process: a stack overflow cannot be caught in .NET, and descriptor starvation only shows under a real limit.
/// </summary>
public class HostileHttpProcessTests
{
    /// <summary>100,000 levels of flow sequences (200 KB, under the 1 MiB body cap): a stack overflow in the YAML parser until bounded.</summary>
    private static readonly string Deep = "name: deep\nrules: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

    [Test]
    public async Task A_deeply_nested_scenario_put_over_http_or_saved_to_a_watched_file_is_refused_and_smtp_lives()
    {
        using var folder = new StoreFolder();
        File.WriteAllText(folder.PathOf("good.yaml"), "name: good\nrules:\n  - on: RCPT\n    reply: 451\n");
        await using var server = await ServerProcess.StartAsync("--http-port", "0", "--scenario", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{await server.HttpPortAsync()}/"), Timeout = TimeSpan.FromSeconds(30) };

        using var put = await http.PutAsync("api/v1/scenario", new StringContent(Deep, Encoding.UTF8, "text/plain"));
        var problem = await put.Content.ReadAsStringAsync();
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem);
        Assert.That(problem, Does.Contain("\"line\":2").And.Contain("nested more than 32 levels deep"));
        Assert.That((await http.GetStringAsync("api/v1/scenario")), Does.Contain("\"name\":\"good\""), "the old scenario stays active");
        Assert.That(await GreetingAsync(server.Port), Does.StartWith("220 "));

        File.WriteAllText(folder.PathOf("good.yaml"), Deep);
        await server.WaitForOutputAsync("nested more than 32 levels deep", TimeSpan.FromSeconds(30));
        Assert.That(server.HasExited, Is.False);
        Assert.That(await GreetingAsync(server.Port), Does.StartWith("220 "));
        Assert.That(await http.GetStringAsync("api/v1/scenario"), Does.Contain("\"name\":\"good\""));
    }

    [Test]
    public async Task Validate_refuses_a_deep_file_with_its_position()
    {
        using var folder = new StoreFolder();
        var file = folder.PathOf("deep.yaml");
        File.WriteAllText(file, Deep);

        var (code, output) = await ValidateAsync(file);

        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain($"{file}:2:").And.Contain("nested more than 32 levels deep"));
    }

    [Test]
    public async Task Http_connections_past_the_descriptor_limit_never_starve_smtp_during_or_after_the_flood()
    {
        await using var server = await ServerProcess.StartWithFileLimitAsync(600, "--http-port", "0", "--no-simulator");
        var httpPort = await server.HttpPortAsync();
        var flood = new List<TcpClient>();
        try
        {
            // 700 event-stream connections against a 600-descriptor limit: what starved SMTP for good before.
            for (var i = 0; i < 700; i++)
            {
                var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, httpPort).WaitAsync(TimeSpan.FromSeconds(5));
                    await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                }
                catch (Exception e) when (e is SocketException or IOException or TimeoutException)
                {
                    // Refused or cut off by the server's limit: what it should do.
                }

                flood.Add(client);
            }

            string greeting;
            try
            {
                greeting = await GreetingAsync(server.Port);
            }
            catch (SocketException e)
            {
                throw new AssertionException($"SMTP refused while HTTP is flooded ({e.SocketErrorCode}); the server said:{Environment.NewLine}{server.Output}");
            }

            Assert.That(greeting, Does.StartWith("220 "), "SMTP greets while HTTP is flooded");
        }
        finally
        {
            foreach (var client in flood)
            {
                client.Dispose();
            }
        }

        Assert.That(await GreetingAsync(server.Port), Does.StartWith("220 "), "and after the flood");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
        Assert.That((await http.GetAsync("healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "HTTP serves again too");

        // No accept loop spinning on EMFILE: the idle server uses almost no CPU once the crowd is gone.
        var before = CpuSeconds(server.Pid);
        await GreetingAsync(server.Port);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(CpuSeconds(server.Pid) - before, Is.LessThan(1.0), "two seconds of idling cost less than a CPU second");
        Assert.That(server.Output, Does.Contain("only 600 file descriptors"), "the console says SMTP was capped to keep HTTP its share");
    }

    private static async Task<string> GreetingAsync(int port)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        return await reader.ReadLineAsync(deadline.Token) ?? string.Empty;
    }

    /// <summary>User and system CPU seconds of a process (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<(int Code, string Output)> ValidateAsync(string file)
    {
        var output = new StringWriter();
        var code = await SmtpMockCli.RunAsync(["validate", file], output, output, CancellationToken.None);
        return (code, output.ToString());
    }
}
