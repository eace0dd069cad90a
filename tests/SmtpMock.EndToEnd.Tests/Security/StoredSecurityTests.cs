using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>With <c>--store</c>, the .json envelope keeps the TLS and AUTH facts, and a restarted server loads them.</summary>
[TestFixture]
public sealed class StoredSecurityTests
{
    [Test]
    public async Task The_envelope_records_tls_and_the_login_and_survives_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-e2e-stored-tls-").FullName;
        try
        {
            string id;
            await using (var server = await TestServer.StartAsync(o => o with { StoreDirectory = folder }))
            {
                using var client = new SmtpClient { ServerCertificateValidationCallback = (_, c, _, _) => TlsLineClient.Pinned(server.TlsCertificate!, c) };
                using var timeout = TestServer.Timeout();
                await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.StartTls, timeout.Token);
                await client.AuthenticateAsync("stored@example.com", "pw", timeout.Token);
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse("a@example.com"));
                message.To.Add(MailboxAddress.Parse("b@example.org"));
                message.Subject = "stored";
                message.Body = new TextPart("plain") { Text = "x" };
                id = TestServer.QueuedId(await client.SendAsync(message, timeout.Token));
                await client.DisconnectAsync(quit: true, timeout.Token);
                await server.WaitForMessageAsync(m => m.Id == id);
            }

            var json = await File.ReadAllTextAsync(Path.Combine(folder, id + ".json"));
            Assert.That(json, Does.Contain("\"authenticatedUser\": \"stored@example.com\"").And.Contain("\"tls\": \"TLSv1."));

            await using var restarted = await TestServer.StartAsync(o => o with { StoreDirectory = folder });
            var loaded = restarted.Messages.Messages.Single(m => m.Id == id);
            Assert.That(loaded.AuthenticatedUser, Is.EqualTo("stored@example.com"));
            Assert.That(loaded.AuthMechanism, Is.EqualTo("CRAM-MD5"), "MailKit prefers CRAM-MD5 when it is offered");
            Assert.That(loaded.IsSecure, Is.True);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
