using System.Globalization;
using System.Text.Json;

namespace SmtpMock.EndToEnd.Tests.Clients;

/// <summary>Python's smtplib (what Django, Flask-Mail and most Python apps send with) against 502, 503 and 504.</summary>
[TestFixture]
public sealed class PythonSmtplibTests
{
    // Prints what the application would catch: the exception class and the code(s) it carries.
    private const string Sender = """
        import json, smtplib, sys
        port = int(sys.argv[1])
        rcpt = sys.argv[2] if len(sys.argv) > 2 else 'bob@example.com'
        out = {'error': None}
        try:
            with smtplib.SMTP('127.0.0.1', port, local_hostname='python.test', timeout=20) as smtp:
                smtp.sendmail('app@example.com', [rcpt], b'Subject: hi\r\n\r\nbody\r\n')
        except smtplib.SMTPRecipientsRefused as e:
            out = {'error': type(e).__name__, 'code': e.recipients[rcpt][0], 'text': e.recipients[rcpt][1].decode()}
        except smtplib.SMTPResponseException as e:
            out = {'error': type(e).__name__, 'code': e.smtp_code, 'text': e.smtp_error.decode()}
        print(json.dumps(out))
        """;

    [TestCaseSource(typeof(ClientScenarios), nameof(ClientScenarios.Refusals))]
    public async Task Smtplib_raises_the_documented_exception_with_the_code(string command, int code)
    {
        await ExternalTool.RequireAsync("python3");
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.Refuse(command, code));

        var result = await RunAsync(smtp.Port);

        var expected = command switch
        {
            "MAIL" => "SMTPSenderRefused",
            "RCPT" => "SMTPRecipientsRefused",
            _ => "SMTPDataError",
        };
        Assert.That(result.GetProperty("error").GetString(), Is.EqualTo(expected));
        Assert.That(result.GetProperty("code").GetInt32(), Is.EqualTo(code));
        var sent = await ClientScenarios.RefusalSentAsync(smtp, code);
        Assert.That(sent, Does.EndWith(result.GetProperty("text").GetString() ?? "(no text)"));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task Smtplib_falls_back_to_HELO_after_a_502_to_EHLO_and_delivers()
    {
        await ExternalTool.RequireAsync("python3");
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.EhloNotImplemented);

        var result = await RunAsync(smtp.Port);

        Assert.That(result.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var message = (await smtp.WaitForMessagesAsync(1, TestServer.Deadline)).Single();
        Assert.That(message.HeloName, Is.EqualTo("python.test"));
        Assert.That(message.To, Is.EqualTo(new[] { ClientScenarios.Recipient }));
        var sessions = await smtp.WaitForSessionsAsync(1, TestServer.Deadline);
        Assert.That(sessions[0].ClientLines(), Does.Contain("helo python.test")); // smtplib sends its verbs in lower case
    }

    [Test]
    public async Task Smtplib_raises_SMTPRecipientsRefused_for_a_failure_address_with_no_scenario()
    {
        await ExternalTool.RequireAsync("python3");
        await using var smtp = await ClientScenarios.StartAsync();

        var result = await RunAsync(smtp.Port, ClientScenarios.FailureAddress);

        Assert.That(result.GetProperty("error").GetString(), Is.EqualTo("SMTPRecipientsRefused"));
        Assert.That(result.GetProperty("code").GetInt32(), Is.EqualTo(503));
        Assert.That(result.GetProperty("text").GetString(), Is.EqualTo(ClientScenarios.FailureReply[4..]));
        Assert.That(smtp.Messages, Is.Empty);
    }

    private static async Task<JsonElement> RunAsync(int port, string recipient = ClientScenarios.Recipient)
    {
        var run = await ExternalTool.RunAsync("python3", ["-c", Sender, port.ToString(CultureInfo.InvariantCulture), recipient]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        return JsonDocument.Parse(run.StandardOutput).RootElement.Clone();
    }
}
