using MimeKit;
using SmtpMock.Server.Relay;

namespace SmtpMock.EndToEnd.Tests.Aftermath;

/// <summary>
/// <c>--bounce-to</c>: the generated messages also go over SMTP to the application's own inbound server (here a
/// second in-process server), and a target that is down costs nothing to the session that triggered them.
/// </summary>
public sealed class BounceToTests
{
    [Test]
    public async Task A_bounce_is_delivered_to_the_inbound_server_with_the_null_sender()
    {
        await using var inbound = await TestServer.StartAsync();
        await using var server = await TestServer.StartAsync(o => o with
        {
            BounceTo = new RelayTarget("127.0.0.1", inbound.EndPoint.Port) { AcceptAnyCertificate = true },
        });

        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("to bounce", "bounce-550@smtpmock.test"));
        var delivered = await inbound.WaitForMessageAsync(_ => true);

        Assert.That(delivered.Sender.IsNull, Is.True, "a DSN is sent with MAIL FROM:<>");
        Assert.That(delivered.RecipientAddresses(), Is.EqualTo(new[] { Scenarios.ScenarioKit.Sender }));
        var dsn = MimeMessage.Load(new MemoryStream(delivered.Raw.ToArray()));
        Assert.That(dsn.Headers["X-SmtpMock-Original-Id"], Is.EqualTo(id));
        Assert.That(AftermathKit.RecipientFields(dsn)["Status"], Is.EqualTo("5.1.1"));
    }

    [Test]
    public async Task A_target_that_is_down_leaves_the_session_and_the_capture_alone()
    {
        // A port that was just free: nothing listens there.
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var server = await TestServer.StartAsync(o => o with { BounceTo = new RelayTarget("127.0.0.1", closedPort) });

        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("nobody home", "complaint@smtpmock.test"));
        var (captured, _) = await AftermathKit.GeneratedAsync(server, id, "complaint");
        var next = await AftermathKit.SendAsync(server, AftermathKit.Message("still served", "someone@example.org"));

        Assert.That(captured.Origin!.OriginalId, Is.EqualTo(id), "captured even though delivery fails");
        Assert.That(next, Is.Not.Empty, "the server goes on taking mail");
    }
}
