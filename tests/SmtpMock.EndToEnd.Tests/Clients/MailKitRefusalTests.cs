using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmtpMock.EndToEnd.Tests.Clients;

/// <summary>MailKit (ASP.NET Core apps) against the same 502, 503 and 504 refusals, for docs/clients.md.</summary>
[TestFixture]
public sealed class MailKitRefusalTests
{
    [TestCase("DATA", 502, SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.CommandNotImplemented)]
    [TestCase("RCPT", 503, SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.BadCommandSequence)]
    [TestCase("MAIL", 504, SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.CommandParameterNotImplemented)]
    public async Task MailKit_throws_SmtpCommandException_with_the_error_and_status_code(string command, int code, SmtpErrorCode error, SmtpStatusCode status)
    {
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.Refuse(command, code));
        using var client = new SmtpClient();
        using var timeout = TestServer.Timeout();
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.None, timeout.Token);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message(), timeout.Token));

        Assert.That(refused?.ErrorCode, Is.EqualTo(error));
        Assert.That(refused?.StatusCode, Is.EqualTo(status));
        Assert.That((int?)refused?.StatusCode, Is.EqualTo(code));
        Assert.That(smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task MailKit_falls_back_to_HELO_after_a_502_to_EHLO_and_delivers()
    {
        await using var smtp = await ClientScenarios.StartAsync(ClientScenarios.EhloNotImplemented);
        using var client = new SmtpClient { LocalDomain = "mailkit.test" };
        using var timeout = TestServer.Timeout();
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.None, timeout.Token);

        await client.SendAsync(Message(), timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);

        var message = (await smtp.WaitForMessagesAsync(1, TestServer.Deadline)).Single();
        Assert.That(message.HeloName, Is.EqualTo("mailkit.test"));
    }

    [TestCase("503@smtpmock.test", SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.BadCommandSequence)]
    [TestCase("552-data@smtpmock.test", SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ExceededStorageAllocation)]
    public async Task MailKit_throws_SmtpCommandException_for_a_failure_address_with_no_scenario(string recipient, SmtpErrorCode error, SmtpStatusCode status)
    {
        await using var smtp = await ClientScenarios.StartAsync();
        using var client = new SmtpClient();
        using var timeout = TestServer.Timeout();
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.None, timeout.Token);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message(recipient), timeout.Token));

        Assert.That(refused?.ErrorCode, Is.EqualTo(error));
        Assert.That(refused?.StatusCode, Is.EqualTo(status));
        Assert.That(smtp.Messages, Is.Empty);
        await client.DisconnectAsync(quit: true, timeout.Token);
        var sessions = await smtp.WaitForSessionsAsync(1, TestServer.Deadline);
        Assert.That(sessions[0].Lines.Select(l => l.Rule), Does.Contain("simulator:" + recipient.Split('@')[0]), "the transcript names the simulator");
    }

    [Test]
    public async Task MailKit_delivers_to_a_failure_address_when_the_simulator_is_off()
    {
        await using var smtp = await Testing.SmtpMockFixture.StartAsync(o => o.Server = server => server with { Simulator = false });
        using var client = new SmtpClient();
        using var timeout = TestServer.Timeout();
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.None, timeout.Token);

        await client.SendAsync(Message("503@smtpmock.test"), timeout.Token);

        var message = (await smtp.WaitForMessagesAsync(1, TestServer.Deadline)).Single();
        Assert.That(message.To, Is.EqualTo(new[] { "503@smtpmock.test" }));
    }

    private static MimeMessage Message(string recipient = ClientScenarios.Recipient)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(ClientScenarios.Sender));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = "hi";
        message.Body = new TextPart("plain") { Text = "body" };
        return message;
    }
}
