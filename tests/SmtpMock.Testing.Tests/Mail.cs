using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmtpMock.Testing.Tests;

/// <summary>Sends with MailKit, the client most .NET applications use.</summary>
internal static class Mail
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static MimeMessage Message(string to, string subject = "hello", string from = "app@example.com")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "body of " + subject };
        return message;
    }

    /// <summary>Connects, sends each message, and says QUIT (so the session ends and its transcript is kept).</summary>
    public static async Task SendAsync(SmtpMockFixture smtp, params MimeMessage[] messages)
    {
        using var client = new SmtpClient();
        using var timeout = new CancellationTokenSource(Deadline);
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.None, timeout.Token);
        foreach (var message in messages)
        {
            await client.SendAsync(message, timeout.Token);
        }

        await client.DisconnectAsync(quit: true, timeout.Token);
    }
}
