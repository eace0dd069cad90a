using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>MailKit sending one message per connection to a loopback port, and what the server answered.</summary>
internal static class ClusterMail
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static MimeMessage Message(string to, string subject, string from = "sender@example.com")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = $"{subject}\r\n" };
        return message;
    }

    /// <summary>
    /// Sends <paramref name="message"/> over a new connection to <paramref name="port"/>: 250 when accepted, else the
    /// status code of the command that refused it (RCPT or the end of DATA), with <paramref name="stage"/> naming which.
    /// </summary>
    public static async Task<(int Code, string Stage)> SendAsync(int port, MimeMessage message)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None, timeout.Token);
        try
        {
            await smtp.SendAsync(message, timeout.Token);
            return (250, "accepted");
        }
        catch (SmtpCommandException e)
        {
            return ((int)e.StatusCode, e.ErrorCode.ToString());
        }
        finally
        {
            if (smtp.IsConnected)
            {
                await smtp.DisconnectAsync(quit: true, timeout.Token);
            }
        }
    }
}
