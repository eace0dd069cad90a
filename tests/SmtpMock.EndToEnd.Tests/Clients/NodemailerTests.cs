using System.Globalization;
using System.Text.Json;

namespace SmtpMock.EndToEnd.Tests.Clients;

/// <summary>
/// nodemailer (Express and most Node apps) against 502, 503 and 504, through tests/clients/node/send.js. Needs
/// node; the tests install nodemailer from tests/clients/node/package-lock.json themselves (<see cref="NodeClient"/>).
/// </summary>
[TestFixture]
public sealed class NodemailerTests
{
    [TestCaseSource(typeof(ClientScenarios), nameof(ClientScenarios.Refusals))]
    public async Task Nodemailer_rejects_with_the_documented_code_and_fields(string command, int code)
    {
        var script = await NodeClient.RequireAsync();
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.Refuse(command, code));

        var result = await RunAsync(script, smtp.Port);

        // A refused DATA command is an envelope error too; EMESSAGE is for a refusal after the final dot.
        var expectedCommand = command switch
        {
            "MAIL" => "MAIL FROM",
            "RCPT" => "RCPT TO",
            _ => "DATA",
        };
        Assert.That(result.GetProperty("error").GetString(), Is.EqualTo("EENVELOPE"), result.ToString());
        Assert.That(result.GetProperty("command").GetString(), Is.EqualTo(expectedCommand), result.ToString());
        Assert.That(result.GetProperty("responseCode").GetInt32(), Is.EqualTo(code));
        var sent = await ClientScenarios.RefusalSentAsync(smtp, code);
        Assert.That(result.GetProperty("response").GetString(), Is.EqualTo(sent));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task Nodemailer_falls_back_to_HELO_after_a_502_to_EHLO_and_delivers()
    {
        var script = await NodeClient.RequireAsync();
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.EhloNotImplemented);

        var result = await RunAsync(script, smtp.Port);

        Assert.That(result.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null), result.ToString());
        var message = (await smtp.WaitForMessagesAsync(1, TestServer.Deadline)).Single();
        Assert.That(message.HeloName, Is.EqualTo("node.test"));
        Assert.That(message.Message.Subject, Is.EqualTo("hi"));
    }

    [Test]
    public async Task Nodemailer_rejects_with_EENVELOPE_at_RCPT_TO_for_a_failure_address_with_no_scenario()
    {
        var script = await NodeClient.RequireAsync();
        await using var smtp = await ClientScenarios.StartAsync();

        var result = await RunAsync(script, smtp.Port, ClientScenarios.FailureAddress);

        Assert.That(result.GetProperty("error").GetString(), Is.EqualTo("EENVELOPE"), result.ToString());
        Assert.That(result.GetProperty("command").GetString(), Is.EqualTo("RCPT TO"), result.ToString());
        Assert.That(result.GetProperty("responseCode").GetInt32(), Is.EqualTo(503));
        Assert.That(result.GetProperty("response").GetString(), Is.EqualTo(ClientScenarios.FailureReply));
        Assert.That(smtp.Messages, Is.Empty);
    }

    private static async Task<JsonElement> RunAsync(string script, int port, string recipient = ClientScenarios.Recipient)
    {
        var run = await ExternalTool.RunAsync("node", [script, port.ToString(CultureInfo.InvariantCulture), recipient]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        return JsonDocument.Parse(run.StandardOutput).RootElement.Clone();
    }
}
