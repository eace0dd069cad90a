using System.Net.Mail;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>The SmtpClient built into .NET (still what much legacy code sends with).</summary>
[TestFixture]
public sealed class SystemNetMailTests : ServerFixture
{
    [Test]
    public async Task Message_is_captured_with_its_envelope_subject_and_body()
    {
        const string body = "Hello from System.Net.Mail.\r\nSecond line.";
        using var message = new MailMessage(new MailAddress("legacy@example.com", "Legacy App"), new MailAddress("ops@example.org"))
        {
            Subject = "Nightly report",
            Body = body,
        };
        message.To.Add("oncall@example.org");
        message.CC.Add("audit@example.net");

#pragma warning disable CS0618, SYSLIB0014 // System.Net.Mail.SmtpClient is discouraged, but it is exactly what is under test.
        using var client = new SmtpClient(Server.EndPoint.Address.ToString(), Server.EndPoint.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = false,
            Timeout = (int)TestServer.Deadline.TotalMilliseconds,
        };
#pragma warning restore CS0618, SYSLIB0014

        using (var timeout = TestServer.Timeout())
        {
            await client.SendMailAsync(message, timeout.Token);
        }

        var captured = await Server.WaitForMessageAsync(m => m.Sender.Address == "legacy@example.com");
        Assert.That(captured.Sender.Address, Is.EqualTo("legacy@example.com"));
        Assert.That(captured.RecipientAddresses(), Is.EquivalentTo(new[] { "ops@example.org", "oncall@example.org", "audit@example.net" }));
        Assert.That(captured.Message.Subject, Is.EqualTo("Nightly report"));
        Assert.That(captured.Message.TextBody?.ReplaceLineEndings("\n").TrimEnd('\n'), Is.EqualTo(body.ReplaceLineEndings("\n")));
        Assert.That(captured.Message.From.Mailboxes.Single().Name, Is.EqualTo("Legacy App"));
        Assert.That(captured.Message.Cc.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { "audit@example.net" }));
    }
}
