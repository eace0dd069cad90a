using System.Net;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Tests;

/// <summary><c>--listen PORT=SCENARIO</c> and <c>--bounce-to HOST:PORT</c> on a running <c>serve</c>, and their mistakes.</summary>
public sealed class SharedServerOptionsTests
{
    [TestCase("--bounce-to", "host:0", "smtpmock: --bounce-to 'host:0' is not HOST or HOST:PORT")]
    [TestCase("--listen", "2526", "smtpmock: --listen '2526' is not PORT=SCENARIO")]
    [TestCase("--listen", "x=full", "smtpmock: --listen 'x=full' is not PORT=SCENARIO")]
    [TestCase("--listen", "70000=full", "smtpmock: --listen '70000=full' is not PORT=SCENARIO")]
    [TestCase("--listen", "0=ghost", "no scenario for port 0=ghost; no scenario files are loaded")]
    public async Task A_wrong_value_is_a_usage_error_that_says_what_is_wrong(string option, string value, string problem)
    {
        var error = new StringWriter();

        var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", "--no-http", option, value], TextWriter.Null, error, CancellationToken.None);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain(problem));
    }

    [Test]
    public async Task A_listen_port_runs_its_scenario_and_bounces_go_to_the_bounce_to_server()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-listen-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "full.yaml"), "name: full\nrules:\n  - name: mailbox-full\n    on: RCPT\n    when: { recipient: \"*@example.org\" }\n    reply: 552\n");
        await using var inbound = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        await inbound.StartAsync();
        using var stop = new CancellationTokenSource();
        var output = new ServeRun.LineWriter();
        var run = SmtpMockCli.RunAsync(["serve", "--host", "127.0.0.1", "--port", "0", "--no-http", "--scenario", folder, "--listen", "0=full", "--bounce-to", $"127.0.0.1:{inbound.EndPoint.Port}"], output, TextWriter.Null, stop.Token);
        try
        {
            var scenarioLine = await output.WaitForAsync("Scenario 'full' on smtp://").WaitAsync(ServeRunDeadline);
            var bounceLine = await output.WaitForAsync("also delivered to").WaitAsync(ServeRunDeadline);
            var main = await output.WaitForAsync("listening on smtp://").WaitAsync(ServeRunDeadline);

            await using (var client = await WireClient.ConnectAndGreetAsync(EndPointIn(scenarioLine)))
            {
                await client.CommandAsync("MAIL FROM:<app@example.org>");
                Assert.That((await client.CommandAsync("RCPT TO:<bob@example.org>")).Single(), Does.StartWith("552"));
            }

            await using (var client = await WireClient.ConnectAndGreetAsync(EndPointIn(main)))
            {
                await client.SendMessageAsync("app@example.org", "bounce@smtpmock.test", "Subject: hello\r\n\r\nbody\r\n");
            }

            using var timeout = new CancellationTokenSource(ServeRunDeadline);
            var bounce = await inbound.Messages.WaitForAsync(_ => true, timeout.Token);
            Assert.That(bounceLine, Does.EndWith($"smtp://127.0.0.1:{inbound.EndPoint.Port}"));
            Assert.That(bounce.RecipientAddresses(), Is.EqualTo(new[] { "app@example.org" }));
            Assert.That(bounce.Sender.IsNull, Is.True);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.That(await run.WaitAsync(ServeRunDeadline), Is.Zero);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly TimeSpan ServeRunDeadline = TimeSpan.FromSeconds(30);

    /// <summary>The smtp://HOST:PORT in a line smtpmock printed.</summary>
    private static IPEndPoint EndPointIn(string line)
    {
        var start = line.IndexOf("smtp://", StringComparison.Ordinal) + "smtp://".Length;
        var end = line.IndexOf(' ', start);
        return IPEndPoint.Parse(end < 0 ? line[start..] : line[start..end]);
    }
}

internal static class CapturedMessageAddresses
{
    public static IReadOnlyList<string> RecipientAddresses(this CapturedMessage message) => [.. message.Recipients.Select(r => r.Address)];
}
