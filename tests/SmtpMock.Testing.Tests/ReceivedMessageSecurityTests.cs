using MailKit.Net.Smtp;
using MailKit.Security;

namespace SmtpMock.Testing.Tests;

/// <summary>A received message says whether it came over TLS (protocol and cipher) and who logged in with which mechanism.</summary>
[TestFixture]
public sealed class ReceivedMessageSecurityTests
{
    [Test]
    public async Task A_message_sent_over_STARTTLS_after_a_login_names_the_protocol_cipher_user_and_mechanism()
    {
        await using var smtp = await SmtpMockFixture.StartAsync();

        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            using var timeout = new CancellationTokenSource(Mail.Deadline);
            await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.StartTls, timeout.Token);
            client.AuthenticationMechanisms.Clear();
            client.AuthenticationMechanisms.Add("PLAIN");
            await client.AuthenticateAsync("relay-user", "secret", timeout.Token);
            await client.SendAsync(Mail.Message("bob@example.org", "secure"), timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
        }

        await Mail.SendAsync(smtp, Mail.Message("bob@example.org", "plain"));
        var messages = await smtp.WaitForMessagesAsync(2, Mail.Deadline);

        var secure = messages.Single(m => m.Message.Subject == "secure");
        Assert.Multiple(() =>
        {
            Assert.That(secure.IsSecure, Is.True);
            Assert.That(secure.TlsProtocol, Does.Match("^TLSv1\\.[23]$"));
            Assert.That(secure.TlsCipherSuite, Does.StartWith("TLS_"));
            Assert.That(secure.AuthenticatedUser, Is.EqualTo("relay-user"));
            Assert.That(secure.AuthMechanism, Is.EqualTo("PLAIN"));
        });
        var plain = messages.Single(m => m.Message.Subject == "plain");
        Assert.Multiple(() =>
        {
            Assert.That(plain.IsSecure, Is.False);
            Assert.That(plain.TlsProtocol, Is.Null);
            Assert.That(plain.TlsCipherSuite, Is.Null);
            Assert.That(plain.AuthenticatedUser, Is.Null);
            Assert.That(plain.AuthMechanism, Is.Null);
        });
    }
}
