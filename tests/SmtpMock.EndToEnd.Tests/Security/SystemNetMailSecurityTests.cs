using System.Net;
using System.Net.Mail;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>System.Net.Mail with EnableSsl (STARTTLS) and credentials (AUTH LOGIN), trusting only the mock's certificate.</summary>
[TestFixture]
public sealed class SystemNetMailSecurityTests
{
    [Test]
    public async Task Enable_ssl_with_credentials_sends_over_tls_as_the_user()
    {
        await using var server = await TestServer.StartAsync(o => o with { AuthUsers = new Dictionary<string, string> { ["legacy"] = "right" } });
        using var message = new MailMessage("legacy@example.com", "ops@example.org", "over tls", "Sent with EnableSsl.");

#pragma warning disable CS0618, SYSLIB0014 // System.Net.Mail and ServicePointManager are discouraged, but they are what legacy code uses.
        // System.Net.Mail takes its certificate check only from this process-wide callback: set it for this test alone.
        var previous = ServicePointManager.ServerCertificateValidationCallback;
        ServicePointManager.ServerCertificateValidationCallback = (_, certificate, _, _) => TlsLineClient.Pinned(server.TlsCertificate!, certificate);
        try
        {
            using var client = new SmtpClient(server.EndPoint.Address.ToString(), server.EndPoint.Port)
            {
                DeliveryMethod = SmtpDeliveryMethod.Network,
                EnableSsl = true,
                Credentials = new NetworkCredential("legacy", "right"),
                Timeout = (int)TestServer.Deadline.TotalMilliseconds,
            };
            using var timeout = TestServer.Timeout();
            await client.SendMailAsync(message, timeout.Token);
        }
        finally
        {
            ServicePointManager.ServerCertificateValidationCallback = previous;
        }
#pragma warning restore CS0618, SYSLIB0014

        var captured = await server.WaitForMessageAsync(m => m.Sender.Address == "legacy@example.com");
        Assert.That(captured.IsSecure, Is.True);
        Assert.That(captured.AuthenticatedUser, Is.EqualTo("legacy"));
        Assert.That(captured.AuthMechanism, Is.EqualTo("LOGIN"));
    }
}
