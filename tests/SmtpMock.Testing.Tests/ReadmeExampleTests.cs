using System;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NUnit.Framework;
using SmtpMock.Testing;

namespace MyApp.Tests;

public class SignupMailTests
{
    [Test]
    public async Task A_refused_recipient_surfaces_as_503_and_the_retry_is_captured()
    {
        // A real SMTP server on 127.0.0.1 and a free port; this scenario refuses any RCPT for bob.
        await using var smtp = await SmtpMockFixture.StartAsync(options => options.UseScenarioYaml("""
            name: bob-refused
            rules:
              - name: no-bob
                on: RCPT
                when: { recipient: 'bob@*' }
                reply: { code: 503, enhanced: 5.5.1, text: "Bad sequence of commands" }
            """));

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.None);

        // Assert.ThatAsync with Throws reads the same in NUnit 4 (what `dotnet new nunit` gives) and NUnit 5.
        await Assert.ThatAsync(() => client.SendAsync(Mail("bob@example.com")),
            Throws.TypeOf<SmtpCommandException>()
                .With.Property(nameof(SmtpCommandException.StatusCode)).EqualTo(SmtpStatusCode.BadCommandSequence) // 503
                .And.Property(nameof(SmtpCommandException.ErrorCode)).EqualTo(SmtpErrorCode.RecipientNotAccepted));

        await client.SendAsync(Mail("carol@example.com"));
        await client.DisconnectAsync(quit: true);

        var messages = await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10));
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0].From, Is.EqualTo("app@example.com"));
        Assert.That(messages[0].To, Is.EqualTo(new[] { "carol@example.com" }));
        Assert.That(messages[0].Message.Subject, Is.EqualTo("Welcome"));
        Assert.That(messages[0].Message.TextBody?.Trim(), Is.EqualTo("Thanks for signing up."));
    }

    private static MimeMessage Mail(string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("app@example.com"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "Welcome";
        message.Body = new TextPart("plain") { Text = "Thanks for signing up." };
        return message;
    }
}
