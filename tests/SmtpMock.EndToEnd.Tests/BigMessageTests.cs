using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>A 100 MiB message through MailKit is captured intact, in memory and with a store directory.</summary>
public class BigMessageTests
{
    private static MimeMessage HundredMiB()
    {
        var payload = new byte[100 * 1024 * 1024];
        new Random(7).NextBytes(payload);
        var body = new BodyBuilder { TextBody = "A large attachment follows." };
        body.Attachments.Add("blob.bin", payload, new ContentType("application", "octet-stream"));
        return new MimeMessage(
            [new MailboxAddress("Sender", "sender@example.com")],
            [new MailboxAddress("Rcpt", "rcpt@example.com")],
            "100 MiB",
            body.ToMessageBody());
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_100_MiB_message_is_captured_byte_for_byte(bool withStore)
    {
        var dir = withStore ? Directory.CreateTempSubdirectory("smtpmock-big-").FullName : null;
        try
        {
            await using var server = await TestServer.StartAsync(o => o with { MaxMessageSize = 256L * 1024 * 1024, StoreDirectory = dir });
            var message = HundredMiB();
            using (var client = new SmtpClient { Timeout = 120_000 })
            {
                await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.None);
                await client.SendAsync(message);
                await client.DisconnectAsync(quit: true);
            }

            var expected = MailKitSender.Serialize(message);
            var captured = server.Messages.Messages.Single();
            Assert.That(captured.Size, Is.EqualTo(expected.LongLength));
            await using var content = captured.OpenContent();
            Assert.That(Convert.ToHexString(await SHA256.HashDataAsync(content)), Is.EqualTo(Convert.ToHexString(SHA256.HashData(expected))));
            if (withStore)
            {
                Assert.That(captured.MemorySize, Is.Zero, "spooled to the store directory, not held in memory");
                Assert.That(new FileInfo(Path.Combine(dir!, captured.Id + ".eml")).Length, Is.EqualTo(expected.LongLength));
            }
        }
        finally
        {
            if (dir is not null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
