using System.Net.Sockets;

namespace SmtpMock.Cli.Tests;

public class HttpOptionsTests
{
    [TestCase("--http-port", "70000", "--http-port 70000 is outside 0-65535")]
    [TestCase("--http-host", "localhost-ish", "--http-host 'localhost-ish' is not an IP address")]
    public async Task Bad_http_values_get_a_specific_message_and_exit_code_2(string flag, string value, string message)
    {
        var error = new StringWriter();
        var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", flag, value], TextWriter.Null, error, CancellationToken.None);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.StartWith("smtpmock: ").And.Contain(message));
    }

    [TestCase("--relay", "smtp.example.com:0", "--relay 'smtp.example.com:0' is not HOST or HOST:PORT")]
    [TestCase("--relay", "smtp.example.com:abc", "--relay 'smtp.example.com:abc' is not HOST or HOST:PORT")]
    [TestCase("--relay", "[::1", "--relay '[::1' is not HOST or HOST:PORT")]
    [TestCase("--relay-user", "someone:secret", "--relay-user, --relay-insecure and --relay-ca need --relay HOST[:PORT]")]
    [TestCase("--relay-ca", "/tmp/ca.pem", "--relay-user, --relay-insecure and --relay-ca need --relay HOST[:PORT]")]
    public async Task Bad_relay_values_get_a_specific_message_and_exit_code_2(string flag, string value, string message)
    {
        var error = new StringWriter();
        var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", "--http-port", "0", flag, value], TextWriter.Null, error, CancellationToken.None);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.StartWith("smtpmock: ").And.Contain(message));
    }

    [Test]
    public async Task Relay_needs_the_http_side_and_a_user_needs_name_colon_password()
    {
        var error = new StringWriter();
        Assert.That(await SmtpMockCli.RunAsync(["serve", "--port", "0", "--no-http", "--relay", "smtp.example.com"], TextWriter.Null, error, CancellationToken.None), Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain("--relay releases messages from the page and the API: leave out --no-http"));
        error = new StringWriter();
        Assert.That(await SmtpMockCli.RunAsync(["serve", "--port", "0", "--http-port", "0", "--relay", "smtp.example.com", "--relay-user", "nopassword"], TextWriter.Null, error, CancellationToken.None), Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain("--relay-user 'nopassword' is not NAME:PASSWORD"));
    }

    [Test]
    public async Task Relay_ca_must_hold_pem_certificates()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "not a certificate\n");
            var error = new StringWriter();
            var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", "--http-port", "0", "--relay", "smtp.example.com", "--relay-ca", file], TextWriter.Null, error, CancellationToken.None);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.StartWith($"smtpmock: --relay-ca {file} holds no certificate"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Relay_user_without_a_colon_takes_the_password_from_the_environment()
    {
        Environment.SetEnvironmentVariable("SMTPMOCK_RELAY_PASSWORD", "from-env");
        try
        {
            var line = await ServeUntilAsync(["--relay", "smtp.example.com:587", "--relay-user", "me"], "Messages can be released to ");
            Assert.That(line, Does.StartWith("Messages can be released to smtp.example.com:587 "));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SMTPMOCK_RELAY_PASSWORD", null);
        }
    }

    [Test]
    public async Task Relay_is_named_at_start_with_its_default_port()
    {
        var line = await ServeUntilAsync(["--relay", "[::1]"], "Messages can be released to ");
        Assert.That(line, Does.StartWith("Messages can be released to [::1]:25 "));
    }

    [Test]
    public async Task Http_host_takes_a_name_of_this_machine_as_host_does()
    {
        var line = await ServeUntilAsync(["--host", "localhost", "--http-host", "localhost"], "HTTP API and web page on ");
        Assert.That(new Uri(line["HTTP API and web page on ".Length..].Trim()).Host, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task Http_host_0_0_0_0_prints_a_localhost_address_a_browser_opens()
    {
        await ServeUntilAsync(["--http-host", "0.0.0.0"], "HTTP API and web page on ", async line =>
        {
            var address = new Uri(line["HTTP API and web page on ".Length..].Trim());
            Assert.That(address.Host, Is.EqualTo("localhost"), line);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.That(await http.GetStringAsync(new Uri($"http://127.0.0.1:{address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/healthz")), Does.Contain("\"status\":\"ok\""));
        });
    }

    [Test]
    public async Task Http_port_0_prints_the_address_and_serves_healthz()
    {
        await ServeUntilAsync([], "HTTP API and web page on ", async line =>
        {
            var address = new Uri(line["HTTP API and web page on ".Length..].Trim());
            Assert.That(address.Port, Is.Not.EqualTo(8025).And.Not.Zero);
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            Assert.That(await http.GetStringAsync("healthz"), Does.Contain("\"status\":\"ok\""));
        });
    }

    [Test]
    public async Task An_http_port_in_use_is_reported_and_exits_1()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var error = new StringWriter();
        var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TextWriter.Null, error, CancellationToken.None);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString(), Is.EqualTo(
            $"smtpmock: cannot serve HTTP on 127.0.0.1:{port}: address already in use (is Mailpit or another smtpmock running? pick another --http-port, 0 for a free one, or --no-http){Environment.NewLine}"));
    }

    [Test]
    public async Task An_http_host_address_not_of_this_machine_names_http_host_not_http_port()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): an address no machine here has.
        var error = new StringWriter();
        var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", "--http-port", "0", "--http-host", "192.0.2.1"], TextWriter.Null, error, CancellationToken.None);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString(), Is.EqualTo(
            $"smtpmock: cannot serve HTTP on 192.0.2.1:0: no such address on this machine (pick another --http-host, e.g. 127.0.0.1 or 0.0.0.0){Environment.NewLine}"));
    }

    private static Task<string> ServeUntilAsync(string[] args, string marker, Func<string, Task>? whileRunning = null) =>
        ServeRun.UntilAsync(args, marker, whileRunning);
}
