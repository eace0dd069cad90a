using System.Net;
using System.Text.Json;
using MailKit.Net.Smtp;
using MimeKit;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>A server with a webhook tells a real receiver what its sessions did, in the order they did it.</summary>
public class ServerEventsTests
{
    [Test]
    public async Task A_delivered_message_a_refused_recipient_and_the_session_end_reach_the_receiver()
    {
        await using var receiver = await Receiver.StartAsync(200);
        var options = new SmtpServerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Webhooks = new WebhookOptions { Targets = [receiver.Url] },
        };
        await using (var server = new SmtpMockServer(options))
        {
            await server.StartAsync();
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, MailKit.Security.SecureSocketOptions.None);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("app@example.com"));
            message.To.Add(MailboxAddress.Parse("bob@example.com"));
            message.Subject = "Webhook test";
            message.Body = new TextPart("plain") { Text = "hello" };
            await client.SendAsync(message);
            message.To.Clear();
            message.To.Add(MailboxAddress.Parse("550@smtpmock.test"));
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));
            Assert.That((int?)refused?.StatusCode, Is.EqualTo(550));
            await client.DisconnectAsync(quit: true);
            await Until.TrueAsync(() => Types(receiver).Contains("session.ended"), "the session.ended event");
        }

        var events = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.That(events.Select(e => e.GetProperty("type").GetString()), Is.EqualTo(new[] { "message.captured", "message.refused", "session.ended" }));
        Assert.That(events[0].GetProperty("subject").GetString(), Is.EqualTo("Webhook test"));
        Assert.That((events[1].GetProperty("code").GetInt32(), events[1].GetProperty("point").GetString()), Is.EqualTo((550, "RCPT")));
        Assert.That(events[1].GetProperty("recipients")[0].GetString(), Is.EqualTo("550@smtpmock.test"));
        Assert.That((events[2].GetProperty("messages").GetInt32(), events[2].GetProperty("reason").GetString()), Is.EqualTo((1, "QUIT")));
    }

    private static List<string?> Types(Receiver receiver) =>
        [.. receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString())];
}
