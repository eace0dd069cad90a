using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary>serve's TLS and AUTH flags: bad values are one clear line and exit 2; good ones reach the server.</summary>
public class TlsOptionsTests
{
    [TestCase("--auth-user", "nocolon", "smtpmock: --auth-user 'nocolon' must be name:password (e.g. --auth-user app:secret)")]
    [TestCase("--auth-user", ":secret", "smtpmock: --auth-user ':secret' must be name:password (e.g. --auth-user app:secret)")]
    [TestCase("--tls-port", "70000", "smtpmock: --tls-port 70000 is outside 0-65535")]
    [TestCase("--tls-cert", "/nonexistent/cert.pem", "smtpmock: --tls-cert needs --tls-key (give both, or neither for a generated certificate)")]
    [TestCase("--max-auth-failures", "0", "smtpmock: --max-auth-failures 0 is too small: use at least 1")]
    [TestCase("--no-tls", "--require-tls", "smtpmock: --require-tls needs TLS: leave out --no-tls")]
    [TestCase("--no-auth", "--auth-required", "smtpmock: --auth-required needs AUTH: leave out --no-auth")]
    [TestCase("--no-tls", "--tls-port=0", "smtpmock: --tls-port needs TLS: leave out --no-tls")]
    public async Task A_bad_value_is_one_line_and_exit_2(string option, string value, string expected)
    {
        var (code, _, err) = await CommandRun.RunAsync(["serve", "--port", "0", option, value]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.TrimEnd(), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_missing_certificate_file_is_named()
    {
        var (code, _, err) = await CommandRun.RunAsync(["serve", "--port", "0", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.TrimEnd(), Does.StartWith("smtpmock: TLS certificate (--tls-cert) file '/nonexistent/cert.pem' not found"));
    }

    [Test]
    public async Task An_unwritable_export_path_is_one_line_and_exit_2()
    {
        var (code, _, err) = await CommandRun.RunAsync(["serve", "--port", "0", "--no-http", "--tls-export-cert", "/nonexistent-folder/mock.pem"]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.StartWith("smtpmock: cannot write --tls-export-cert /nonexistent-folder/mock.pem: ").And.EndWith("(pick a writable path)\n"));
        Assert.That(err, Does.Not.Contain("Exception").And.Not.Contain("   at "));
    }

    [Test]
    public async Task A_tls_port_in_use_is_named_as_the_tls_port_and_exits_1()
    {
        await using var first = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ImplicitTlsPort = 0 });
        await first.StartAsync();
        var busy = first.TlsEndPoint!.Port;

        // A second server that shared the port (SO_REUSEPORT) would start and run until this deadline, then exit 0.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", "--no-http", "--tls-port", busy.Text()], output, error, deadline.Token);

        Assert.That(code, Is.EqualTo(1), output.ToString());
        Assert.That(error.ToString().TrimEnd(), Is.EqualTo(
            $"smtpmock: cannot listen on 127.0.0.1:{busy.Text()}: address already in use (is another smtpmock running? pick another --tls-port)"));
    }

    [Test]
    public async Task The_same_user_twice_is_refused()
    {
        var (code, _, err) = await CommandRun.RunAsync(["serve", "--port", "0", "--auth-user", "a:1", "--auth-user", "a:2"]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.TrimEnd(), Is.EqualTo("smtpmock: --auth-user 'a' is given twice"));
    }

    [Test]
    public async Task Help_lists_the_tls_and_auth_options_with_the_servers_defaults()
    {
        var (code, output, _) = await CommandRun.RunAsync(["serve", "--help"]);

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("--tls-export-cert").And.Contain("--require-tls").And.Contain("--auth-user").And.Contain("--allow-plaintext-auth"));
        Assert.That(output, Does.Match(@"--max-auth-failures\s.*\[default: 20\]"));
    }

    [Test]
    public async Task Serve_exports_the_certificate_its_tls_port_presents()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-tls-cli-").FullName;
        try
        {
            var pem = Path.Combine(folder, "mock.pem");
            using var stop = new CancellationTokenSource();
            var output = new SignallingWriter("smtps://");
            var run = SmtpMockCli.RunAsync(["serve", "--port", "0", "--tls-port", "0", "--hostname", "cli.test", "--tls-export-cert", pem], output, TextWriter.Null, stop.Token);
            var line = await output.Seen.WaitAsync(TimeSpan.FromSeconds(30));
            var tlsPort = int.Parse(line[(line.LastIndexOf(':') + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

            using var exported = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(pem));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", tlsPort);
            await using var tls = new SslStream(client.GetStream(), false, (_, presented, _, _) => presented?.GetCertHashString() == exported.GetCertHashString());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "cli.test" }).WaitAsync(TimeSpan.FromSeconds(10));
            using var reader = new StreamReader(tls, Encoding.ASCII);
            Assert.That(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)), Does.StartWith("220 cli.test ESMTP SmtpMock"));
            Assert.That(exported.Subject, Does.Contain("CN=cli.test"));

            await stop.CancelAsync();
            Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(30)), Is.Zero);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Serve_presents_the_pem_certificate_it_was_given()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-tls-pem-").FullName;
        try
        {
            using var given = SmtpMock.Server.Security.TlsCertificates.Generate("given.test");
            var certificate = Path.Combine(folder, "cert.pem");
            var key = Path.Combine(folder, "key.pem");
            await File.WriteAllTextAsync(certificate, given.ExportCertificatePem());
            using (var ecdsa = given.GetECDsaPrivateKey()!)
            {
                await File.WriteAllTextAsync(key, ecdsa.ExportPkcs8PrivateKeyPem());
            }

            using var stop = new CancellationTokenSource();
            var output = new SignallingWriter("smtps://");
            var run = SmtpMockCli.RunAsync(["serve", "--port", "0", "--tls-port", "0", "--tls-cert", certificate, "--tls-key", key], output, TextWriter.Null, stop.Token);
            var line = await output.Seen.WaitAsync(TimeSpan.FromSeconds(30));
            var tlsPort = int.Parse(line[(line.LastIndexOf(':') + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

            string? presented = null;
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", tlsPort);
            await using var tls = new SslStream(client.GetStream(), false, (_, c, _, _) => (presented = c?.GetCertHashString()) is not null);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "given.test" }).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.That(presented, Is.EqualTo(given.GetCertHashString()));

            await stop.CancelAsync();
            Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(30)), Is.Zero);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
