using System.Globalization;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Security;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>
/// Python's smtplib as an application configured for production: starttls() then login(), and SMTP_SSL, verifying
/// the server with the certificate exported as PEM (the file <c>--tls-export-cert</c> writes).
/// </summary>
[TestFixture]
public sealed class PythonSecurityTests : ExportedCertificateServer
{
    // smtplib's login() picks CRAM-MD5 first when offered, then PLAIN, then LOGIN; the argument forces one.
    private const string Sender = """
        import smtplib, ssl, sys
        mode, port, cafile, user, password, mechanism = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
        context = ssl.create_default_context(cafile=cafile)
        if mode == 'ssl':
            smtp = smtplib.SMTP_SSL('127.0.0.1', port, local_hostname='python.test', timeout=20, context=context)
        else:
            smtp = smtplib.SMTP('127.0.0.1', port, local_hostname='python.test', timeout=20)
            smtp.starttls(context=context)
        with smtp:
            if mechanism != 'any':
                smtp.ehlo()
                smtp.esmtp_features['auth'] = mechanism
            smtp.login(user, password)
            print(smtp.sock.version())
            smtp.sendmail('py@example.com', ['to@example.org'], b'Subject: secure\r\n\r\nover TLS\r\n')
        """;

    private Task<ToolResult> RunAsync(string mode, int port, string password, string mechanism) =>
        ExternalTool.RunAsync("python3", ["-c", Sender, mode, port.ToString(CultureInfo.InvariantCulture), Certificate, "tim", password, mechanism]);

    [TestCase("any", "CRAM-MD5")]
    [TestCase("PLAIN", "PLAIN")]
    [TestCase("LOGIN", "LOGIN")]
    public async Task Starttls_then_login_sends_and_is_recorded(string forced, string expected)
    {
        await ExternalTool.RequireAsync("python3");

        var result = await RunAsync("starttls", Server.EndPoint.Port, "right", forced);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var captured = await Server.WaitForMessageAsync(m => m.Sender.Address == "py@example.com");
        Assert.That(captured.AuthenticatedUser, Is.EqualTo("tim"));
        Assert.That(captured.AuthMechanism, Is.EqualTo(expected));
        Assert.That(captured.IsSecure, Is.True);
    }

    [Test]
    public async Task Smtp_ssl_on_the_tls_port_logs_in_and_sends()
    {
        await ExternalTool.RequireAsync("python3");

        var result = await RunAsync("ssl", Server.TlsEndPoint!.Port, "right", "PLAIN");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StandardOutput, Does.StartWith("TLSv1."));
        var captured = await Server.WaitForMessageAsync(m => m.Sender.Address == "py@example.com");
        Assert.That(captured.Tls, Does.StartWith("TLSv1."));
    }

    [Test]
    public async Task A_wrong_password_fails_login_with_535()
    {
        await ExternalTool.RequireAsync("python3");

        var result = await RunAsync("starttls", Server.EndPoint.Port, "wrong", "PLAIN");

        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.StandardError, Does.Contain("SMTPAuthenticationError").And.Contain("535"));
        Assert.That(Server.Messages.Messages, Is.Empty);
    }
}
