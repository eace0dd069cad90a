using System.Text;

namespace SmtpMock.EndToEnd.Tests.Clients;

/// <summary>curl's smtp:// upload against 502, 503 and 504: it exits non-zero and names the command and the code.</summary>
[TestFixture]
public sealed class CurlTests
{
    [TestCase("DATA", 502, "DATA failed: 502")]
    [TestCase("RCPT", 503, "RCPT failed: 503")]
    [TestCase("MAIL", 504, "MAIL failed: 504")]
    public async Task Curl_exits_with_a_send_error_naming_the_command_and_code(string command, int code, string said)
    {
        await ExternalTool.RequireAsync("curl");
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.Refuse(command, code));

        var result = await SendAsync(smtp.Port);

        Assert.That(result.ExitCode, Is.EqualTo(55), result.ToString()); // CURLE_SEND_ERROR
        Assert.That(result.StandardError, Does.Contain(said));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task Curl_falls_back_to_HELO_after_a_502_to_EHLO_and_delivers()
    {
        await ExternalTool.RequireAsync("curl");
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.EhloNotImplemented);

        var result = await SendAsync(smtp.Port);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var message = (await smtp.WaitForMessagesAsync(1, TestServer.Deadline)).Single();
        Assert.That(message.HeloName, Is.EqualTo("curl.test"));
        Assert.That(message.Message.Subject, Is.EqualTo("from curl"));
    }

    [Test]
    public async Task Curl_exits_with_a_send_error_naming_RCPT_and_503_for_a_failure_address_with_no_scenario()
    {
        await ExternalTool.RequireAsync("curl");
        await using var smtp = await ClientScenarios.StartAsync();

        var result = await SendAsync(smtp.Port, ClientScenarios.FailureAddress);

        Assert.That(result.ExitCode, Is.EqualTo(55), result.ToString()); // CURLE_SEND_ERROR
        Assert.That(result.StandardError, Does.Contain("RCPT failed: 503"));
        Assert.That(smtp.Messages, Is.Empty);
    }

    private static async Task<ToolResult> SendAsync(int port, string recipient = ClientScenarios.Recipient)
    {
        var file = Path.Combine(Path.GetTempPath(), $"smtpmock-curl-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(file, "Subject: from curl\r\n\r\nbody\r\n", Encoding.ASCII);
        try
        {
            return await ExternalTool.RunAsync("curl",
            [
                "--silent", "--show-error", "--max-time", "20",
                $"smtp://127.0.0.1:{port}/curl.test",
                "--mail-from", ClientScenarios.Sender,
                "--mail-rcpt", recipient,
                "--upload-file", file,
            ]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
