using System.Globalization;

namespace SmtpMock.EndToEnd.Tests.Clients;

/// <summary>swaks (Debian package <c>swaks</c>) against 502, 503 and 504: its documented exit code per command.</summary>
[TestFixture]
public sealed class SwaksTests
{
    [TestCase("DATA", 502, 25)] // server returned error to DATA request
    [TestCase("RCPT", 503, 24)] // no RCPTs accepted
    [TestCase("MAIL", 504, 23)] // error in MAIL transaction
    public async Task Swaks_exits_with_the_code_for_the_refused_command_and_prints_the_reply(string command, int code, int exitCode)
    {
        await ExternalTool.RequireAsync("swaks");
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.Refuse(command, code));

        var result = await SendAsync(smtp.Port);

        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
        var sent = await ClientScenarios.RefusalSentAsync(smtp, code);
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain("<** " + sent));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task Swaks_falls_back_to_HELO_after_a_502_to_EHLO_and_delivers()
    {
        await ExternalTool.RequireAsync("swaks");
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.EhloNotImplemented);

        var result = await SendAsync(smtp.Port);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var message = (await smtp.WaitForMessagesAsync(1, TestServer.Deadline)).Single();
        Assert.That(message.HeloName, Is.EqualTo("swaks.test"));
        Assert.That(message.To, Is.EqualTo(new[] { ClientScenarios.Recipient }));
    }

    [Test]
    public async Task Swaks_exits_24_and_prints_the_503_for_a_failure_address_with_no_scenario()
    {
        await ExternalTool.RequireAsync("swaks");
        await using var smtp = await ClientScenarios.StartAsync();

        var result = await SendAsync(smtp.Port, ClientScenarios.FailureAddress);

        Assert.That(result.ExitCode, Is.EqualTo(24), result.ToString()); // no RCPTs accepted
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain("<** " + ClientScenarios.FailureReply));
        Assert.That(smtp.Messages, Is.Empty);
    }

    private static Task<ToolResult> SendAsync(int port, string recipient = ClientScenarios.Recipient) => ExternalTool.RunAsync("swaks",
    [
        "--server", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
        "--from", ClientScenarios.Sender, "--to", recipient,
        "--helo", "swaks.test", "--timeout", "20",
    ]);
}
