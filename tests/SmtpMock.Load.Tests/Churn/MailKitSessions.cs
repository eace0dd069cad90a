using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmtpMock.Load.Tests.Churn;

/// <summary>
/// The churn's MailKit sessions: STARTTLS (trusting exactly the server's test certificate), AUTH over TLS and AUTH
/// before it. The scenario's 421 at connect and 451 to MAIL, RCPT or DATA reach MailKit as a command error.
/// </summary>
internal static class MailKitSessions
{
    public static async Task RunAsync(IPEndPoint server, ChurnKind kind, int session, TestCertificate certificate, Ledger ledger)
    {
        var tag = RawSessions.Tag(session, 0);
        using var client = new SmtpClient
        {
            ServerCertificateValidationCallback = (_, presented, _, _) => certificate.IsIt(presented),
            CheckCertificateRevocation = false,
            Timeout = (int)WireClient.Deadline.TotalMilliseconds,
        };
        try
        {
            await client.ConnectAsync(server.Address.ToString(), server.Port, kind == ChurnKind.AuthPlaintext ? SecureSocketOptions.None : SecureSocketOptions.StartTls);
        }
        catch (SmtpCommandException e) when (e.StatusCode == SmtpStatusCode.ServiceNotAvailable)
        {
            ledger.RefuseAtConnect();
            return;
        }

        Assert.That(client.IsSecure, Is.EqualTo(kind != ChurnKind.AuthPlaintext), $"{tag}: TLS");
        if (kind != ChurnKind.StartTls)
        {
            await client.AuthenticateAsync("churn", "secret");
            Assert.That(client.IsAuthenticated, Is.True, $"{tag}: AUTH");
        }

        var message = new MimeMessage { Subject = Ledger.Subject(tag) };
        message.From.Add(MailboxAddress.Parse($"churn-{tag}@example.com"));
        message.To.Add(MailboxAddress.Parse($"to-{tag}@example.org"));
        message.Body = new TextPart("plain") { Text = $"Churn message {tag}, sent by MailKit ({kind})." };
        try
        {
            var response = await client.SendAsync(message);
            Assert.That(response, Does.StartWith("2.0.0 OK: queued as "), $"{tag}: end of data");
            ledger.Acknowledge(kind, tag, RawSessions.QueuedId(response));
        }
        catch (SmtpCommandException e) when (e.StatusCode == SmtpStatusCode.ErrorInProcessing)
        {
            ledger.Refuse();
        }

        await client.DisconnectAsync(quit: true);
    }
}
