using System.Net.Sockets;
using System.Text;
using SmtpMock.Cli;

namespace SmtpMock.Cli.Tests;

public class CliTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SmtpMockCli.RunAsync(args, output, error, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [TestCase("'smtpmock --help' lists the commands and options", "--bogus")]
    [TestCase("'smtpmock --help' lists the commands and options", "nosuchcommand")]
    [TestCase("'smtpmock validate --help' lists its options", "validate")]
    [TestCase("'smtpmock send --help' lists its options", "send", "--to", "b@example.com")]
    public async Task Bad_flags_get_a_clear_message_and_exit_code_2(string help, params string[] args)
    {
        var (code, _, err) = await RunAsync(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.StartWith("smtpmock: "));
        Assert.That(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.All.StartWith("smtpmock: ").And.All.EndsWith(help));
    }

    [TestCase("--port", "70000", "outside 0-65535")]
    [TestCase("--host", "not-an-ip", "not an IP address")]
    [TestCase("--max-line-length", "100", "at least 512")]
    [TestCase("--max-data-line-length", "10", "at least 1000")]
    [TestCase("--hostname", "two words", "one word")]
    public async Task Bad_values_get_a_specific_message_and_exit_code_2(string flag, string value, string message)
    {
        var (code, _, err) = await RunAsync([flag, value]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain(message));
    }

    [Test]
    public async Task A_hostname_too_long_for_the_greeting_gets_a_clear_message_not_a_stack_trace()
    {
        // 600 octets: the 220 line would pass 512, and building it threw out of the command.
        var (code, _, err) = await RunAsync(["--hostname", new string('h', 600), "--no-http"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.StartWith("smtpmock: ").And.Contain("longer than 255 octets"));
    }

    [Test]
    public async Task Help_lists_serve_and_its_defaults()
    {
        var (code, output, _) = await RunAsync(["--help"]);
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("serve").And.Contain("--port").And.Contain("2525"));
    }

    [Test]
    public async Task Serve_answers_smtp_and_exits_0_when_stopped()
    {
        using var stop = new CancellationTokenSource();
        var output = new SignallingWriter("listening on smtp://");
        var run = SmtpMockCli.RunAsync(["serve", "--port", "0", "--no-http", "--hostname", "cli.test"], output, TextWriter.Null, stop.Token);
        var line = await output.Seen.WaitAsync(TimeSpan.FromSeconds(30));
        var port = int.Parse(line[(line.LastIndexOf(':') + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        var greeting = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(greeting, Does.StartWith("220 cli.test ESMTP SmtpMock"));

        await stop.CancelAsync();
        Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(30)), Is.Zero);
        var farewell = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(farewell, Does.StartWith("421 4.3.2"));
    }

    [Test]
    public async Task A_port_in_use_is_reported_and_exits_1()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var (code, _, err) = await RunAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-http"]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Does.Contain("cannot listen on"));
    }

    [Test]
    public async Task Validate_exits_0_for_good_files_and_2_with_file_line_column_for_each_problem()
    {
        var dir = Directory.CreateTempSubdirectory("smtpmock-validate-").FullName;
        try
        {
            var good = Path.Combine(dir, "good.yaml");
            var bad = Path.Combine(dir, "bad.yaml");
            await File.WriteAllTextAsync(good, "name: good\nrules:\n  - on: RCPT\n    reply: 503\n");
            await File.WriteAllTextAsync(bad, "name: bad\nrules:\n  - on: RCTP\n    reply: 700\n");

            var (ok, output, _) = await RunAsync(["validate", good]);
            Assert.That(ok, Is.Zero);
            Assert.That(output, Does.Contain("good.yaml: ok"));

            var (code, _, err) = await RunAsync(["validate", good, bad]);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
            {
                $"{bad}:3:9: unknown point 'RCTP' (expected one of: CONNECT, EHLO, HELO, MAIL, RCPT, DATA, MESSAGE, BDAT, RSET, NOOP, QUIT, VRFY, EXPN, HELP, STARTTLS, AUTH, UNKNOWN, ANY)",
                $"{bad}:4:12: reply code must be from 200 to 599, not 700",
            }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Serve_refuses_a_broken_scenario_with_its_problems_and_exit_code_2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"smtpmock-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "name: x\nrules:\n  - on: MAIL\n    when: { nth: 0 }\n    reply: 503\n");
        try
        {
            var (code, _, err) = await RunAsync(["serve", "--port", "0", "--no-http", "--scenario", file]);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(err, Does.Contain($"{file}:4:18: nth must be from 1"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
