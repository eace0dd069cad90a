using System.Globalization;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using SmtpMock.EndToEnd.Tests.Clients;
using SmtpMock.Server.Session;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>
/// One wrong password, each real client with its default options over STARTTLS (every mechanism offered): the
/// application sees 535, permanent, never the 421 that a limit of three failures turned it into when a client tries
/// each mechanism in turn (issue #19 item 2: smtplib's login() tries CRAM-MD5, PLAIN and LOGIN in one call).
/// </summary>
[TestFixture]
public sealed class WrongPasswordTests : ExportedCertificateServer
{
    [Test]
    public async Task Smtplib_login_with_every_mechanism_raises_535()
    {
        await ExternalTool.RequireAsync("python3");
        const string Script = """
            import smtplib, ssl, sys
            smtp = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='python.test', timeout=20)
            smtp.starttls(context=ssl.create_default_context(cafile=sys.argv[2]))
            try:
                smtp.login('tim', 'wrong')
            except smtplib.SMTPAuthenticationError as e:
                print(e.smtp_code, e.smtp_error.decode())
            """;

        var result = await ExternalTool.RunAsync("python3", ["-c", Script, Port, Certificate]);

        Assert.That(result.StandardOutput.Trim(), Does.StartWith("535 5.7.8"), result.ToString());
        await AssertNoCutOffAsync(atLeast: 2);
    }

    [Test]
    public async Task Mailkit_authenticate_throws_an_authentication_exception_for_535()
    {
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Server.EndPoint.Port, SecureSocketOptions.StartTls);

        var failure = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("tim", "wrong"));

        Assert.That(failure!.Message, Does.Contain("5.7.8").Or.Contain("credentials"), failure.ToString());
        Assert.That(client.IsConnected, Is.True, "the session is still open after the refusal");
        await client.DisconnectAsync(quit: true);
        await AssertNoCutOffAsync(atLeast: 1);
    }

    [Test]
    public async Task Nodemailer_rejects_with_eauth_and_535()
    {
        await ExternalTool.RequireAsync("node");
        var script = Path.Combine(ClientScenarios.RepositoryRoot(), "tests", "clients", "node", "auth.js");
        Assume.That(Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "nodemailer")) || ExternalTool.ToolsRequired, "run 'npm ci' in tests/clients/node");

        var run = await ExternalTool.RunAsync("node", [script, Port, "tim", "wrong", Certificate]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var result = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.That(result.GetProperty("error").GetString(), Is.EqualTo("EAUTH"), run.StandardOutput);
        Assert.That(result.GetProperty("responseCode").GetInt32(), Is.EqualTo(535), run.StandardOutput);
        await AssertNoCutOffAsync(atLeast: 1);
    }

    [Test]
    public async Task Swaks_with_no_mechanism_named_fails_with_535()
    {
        await ExternalTool.RequireAsync("swaks");

        var result = await ExternalTool.RunAsync("swaks",
        [
            "--server", $"127.0.0.1:{Port}", "--tls", "--tls-verify", "--tls-ca-path", Certificate,
            "--from", "swaks@example.com", "--to", "to@example.org", "--auth", "--auth-user", "tim", "--auth-password", "wrong",
        ]);

        Assert.That(result.ExitCode, Is.EqualTo(28), result.ToString());
        // The replies swaks shows start "<~ " or "<** "; dates and ids elsewhere in its output may hold the digits 421.
        Assert.That(result.StandardOutput, Does.Contain("535 5.7.8").And.Not.Match(@"(?m)^<[~*]* 421 "));
        await AssertNoCutOffAsync(atLeast: 1);
    }

    private string Port => Server.EndPoint.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The session refused each try with 535 and never with 421, and kept no message.</summary>
    private async Task AssertNoCutOffAsync(int atLeast)
    {
        var session = await Server.WaitForSessionEndAsync(1, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        var replies = session.Transcript.Lines.Where(l => l.Direction == TranscriptDirection.Out).Select(l => l.Text).ToList();
        Assert.That(replies.Count(r => r.StartsWith("535 5.7.8", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(atLeast), string.Join("\n", replies));
        Assert.That(replies, Has.None.StartWith("421"), string.Join("\n", replies));
        Assert.That(Server.Messages.Messages, Is.Empty);
    }
}
