using System.Net;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Security;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary><c>smtpmock send</c> keeps production settings too: STARTTLS, implicit TLS, a pinned certificate, a login.</summary>
public class SendTlsTests
{
    private static async Task<(SmtpMockServer Server, string CertificateFile)> StartAsync(Func<SmtpServerOptions, SmtpServerOptions>? configure = null)
    {
        var options = new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ImplicitTlsPort = 0 };
        var server = new SmtpMockServer(configure is null ? options : configure(options));
        await server.StartAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("smtpmock-send-tls-").FullName, "mock.pem");
        TlsCertificates.ExportPemFile(server.TlsCertificate!, file);
        return (server, file);
    }

    private static string[] Send(int port, params string[] more) =>
        ["send", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--from", "a@example.com", "--to", "b@example.com", .. more];

    [Test]
    public async Task Starttls_with_the_exported_certificate_pinned_delivers_over_tls_and_prints_the_cipher()
    {
        var (server, pem) = await StartAsync();
        await using (server)
        {
            var (exit, output, err) = await CommandRun.RunAsync(Send(server.EndPoint.Port, "--starttls", "--trust-cert", pem));
            Assert.That(exit, Is.Zero, err);
            Assert.That(output, Does.Contain("220 2.0.0").And.Contain("-- TLS: Tls1"));
            Assert.That(server.Messages.Messages.Single().IsSecure, Is.True);
        }
    }

    [Test]
    public async Task Implicit_tls_on_the_tls_port_delivers()
    {
        var (server, pem) = await StartAsync();
        await using (server)
        {
            var (exit, output, err) = await CommandRun.RunAsync(Send(server.TlsEndPoint!.Port, "--tls", "--trust-cert", pem));
            Assert.That(exit, Is.Zero, err);
            Assert.That(output, Does.Contain("-- TLS:"));
        }
    }

    [Test]
    public async Task An_untrusted_certificate_is_one_line_naming_the_flags_that_help()
    {
        var (server, _) = await StartAsync();
        await using (server)
        {
            var (exit, _, err) = await CommandRun.RunAsync(Send(server.EndPoint.Port, "--starttls"));
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(err, Does.StartWith("smtpmock: TLS handshake failed").And.Contain("--trust-cert FILE or --insecure"));
            Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        }
    }

    [Test]
    public async Task Tls_to_the_plaintext_port_says_to_use_the_tls_port_or_starttls()
    {
        var (server, _) = await StartAsync();
        await using (server)
        {
            var port = server.EndPoint.Port;
            var (exit, _, err) = await CommandRun.RunAsync(Send(port, "--tls", "--insecure"));
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(err, Is.EqualTo($"smtpmock: TLS handshake failed: 127.0.0.1:{port.Text()} did not answer in TLS (--tls is for the server's --tls-port; on its SMTP port use --starttls)\n"));
        }
    }

    [Test]
    public async Task A_login_is_accepted_with_the_right_password_and_refused_with_a_wrong_one()
    {
        var (server, _) = await StartAsync(o => o with { AuthUsers = new Dictionary<string, string> { ["alice"] = "s3cret" } });
        await using (server)
        {
            var (ok, _, okErr) = await CommandRun.RunAsync(Send(server.EndPoint.Port, "--starttls", "--insecure", "--user", "alice", "--password", "s3cret"));
            Assert.That(ok, Is.Zero, okErr);
            Assert.That(server.Messages.Messages.Single().AuthenticatedUser, Is.EqualTo("alice"));

            var (refused, _, err) = await CommandRun.RunAsync(Send(server.EndPoint.Port, "--starttls", "--insecure", "--user", "alice", "--password", "wrong"));
            Assert.That(refused, Is.EqualTo(1));
            Assert.That(err, Does.StartWith("smtpmock: login refused"));
        }
    }
}
