using System.Net;
using MailKit.Net.Smtp;
using MimeKit;
using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Engines.Tests.Haproxy;

/// <summary>
/// Issue #21 test 7: an in-process SmtpMock with the PROXY protocol on, HAProxy in front with send-proxy-v2, MailKit
/// sending through HAProxy. The captured message names MailKit's own endpoint, not HAProxy's.
/// </summary>
[TestFixture]
internal sealed class ProxyProtocolThroughHaproxyTests
{
    [Test]
    public async Task A_message_sent_through_haproxy_names_the_real_client_and_a_direct_connection_is_closed_ungreeted()
    {
        await using var server = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Hostname = "mock.test", ProxyProtocol = new ProxyProtocolOptions() });
        await server.StartAsync();
        await using var haproxy = await HaproxyEngine.StartAsync(new() { Backends = [server.EndPoint], SendProxyV2 = true });
        var clientPort = FreePort.Next(1)[0];

        using var timeout = new CancellationTokenSource(Engine.StopDeadline);
        using (var smtp = new SmtpClient { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, clientPort) })
        {
            await smtp.ConnectAsync("127.0.0.1", haproxy.Port, MailKit.Security.SecureSocketOptions.None, timeout.Token);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("sender@example.com"));
            message.To.Add(MailboxAddress.Parse("rcpt@example.org"));
            message.Subject = "through haproxy";
            message.Body = new TextPart("plain") { Text = "hello" };
            await smtp.SendAsync(message, timeout.Token);
            await smtp.DisconnectAsync(quit: true, timeout.Token);
        }

        var captured = await server.Messages.WaitForAsync(m => m.Sender.Address == "sender@example.com", timeout.Token);
        Assert.That(captured.Client, Is.EqualTo($"127.0.0.1:{clientPort}"), haproxy.Failure("the captured message does not name MailKit's endpoint"));
        var session = server.FinishedSessions.Concat(server.OpenSessions).Single(s => s.Id == captured.SessionId);
        Assert.That(session.Transcript.Lines.Select(l => l.Text), Has.Some.StartsWith("PROXY v2 from 127.0.0.1:").And.Contains($"client 127.0.0.1:{clientPort}"));

        // Straight to SmtpMock, past HAProxy: no header, so no greeting, only a close when the header timeout ends.
        using var direct = new System.Net.Sockets.TcpClient();
        await direct.ConnectAsync(server.EndPoint, timeout.Token);
        var buffer = new byte[64];
        Assert.That(await direct.GetStream().ReadAsync(buffer, timeout.Token), Is.Zero, "closed without a greeting");
    }
}
