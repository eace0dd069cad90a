using System.Globalization;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Security;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>swaks <c>--tls --auth</c> (the first failing client) and <c>--tls-on-connect</c>, verifying the exported certificate.</summary>
[TestFixture]
public sealed class SwaksSecurityTests : ExportedCertificateServer
{
    private Task<ToolResult> SwaksAsync(int port, string tls, string mechanism, string password) => ExternalTool.RunAsync("swaks",
    [
        "--server", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", tls, "--tls-verify", "--tls-ca-path", Certificate,
        "--from", "swaks@example.com", "--to", "to@example.org", "--auth", mechanism, "--auth-user", "tim", "--auth-password", password,
    ]);

    [TestCase("PLAIN")]
    [TestCase("LOGIN")]
    [TestCase("CRAM-MD5")]
    public async Task Starttls_and_auth_deliver_and_the_message_records_both(string mechanism)
    {
        await ExternalTool.RequireAsync("swaks");

        var result = await SwaksAsync(Server.EndPoint.Port, "--tls", mechanism, "right");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var captured = await Server.WaitForMessageAsync(m => m.Sender.Address == "swaks@example.com");
        Assert.That(captured.AuthenticatedUser, Is.EqualTo("tim"));
        Assert.That(captured.AuthMechanism, Is.EqualTo(mechanism));
        Assert.That(captured.IsSecure, Is.True);
    }

    [Test]
    public async Task Tls_on_connect_with_a_wrong_password_fails_to_authenticate()
    {
        await ExternalTool.RequireAsync("swaks");

        var result = await SwaksAsync(Server.TlsEndPoint!.Port, "--tls-on-connect", "PLAIN", "wrong");

        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain("535 5.7.8"));
        Assert.That(Server.Messages.Messages, Is.Empty);
    }
}
