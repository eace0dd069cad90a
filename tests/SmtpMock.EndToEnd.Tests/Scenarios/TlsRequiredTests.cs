using MailKit;
using MailKit.Security;
using SmtpMock.EndToEnd.Tests.Security;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/tls-required.yaml: 530 5.7.0 to MAIL, RCPT, DATA, BDAT and AUTH until STARTTLS.</summary>
[TestFixture]
public sealed class TlsRequiredTests
{
    private const string Scenario = "tls-required";

    [Test]
    public async Task A_client_without_starttls_gets_530_and_one_with_it_sends()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();

        using (var plain = ScenarioKit.NewClient())
        {
            await plain.ConnectToAsync(server, timeout.Token);
            var refused = await ScenarioKit.CatchAsync<ServiceNotAuthenticatedException>(() => plain.SendAsync(ScenarioKit.Message("plaintext", "to@example.org"), timeout.Token));
            Assert.That(refused.Message, Is.EqualTo("5.7.0 Must issue a STARTTLS command first"));
        }

        using var secure = ScenarioKit.NewClient();
        secure.ServerCertificateValidationCallback = (_, certificate, _, _) => TlsLineClient.Pinned(server.TlsCertificate!, certificate);
        await secure.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.StartTls, timeout.Token);
        var reply = await secure.SendAsync(ScenarioKit.Message("over tls", "to@example.org"), timeout.Token);
        await secure.DisconnectAsync(quit: true, timeout.Token);

        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));
        Assert.That(captured.IsSecure, Is.True);
        Assert.That(server.Messages.Count, Is.EqualTo(1), "the plaintext attempt left nothing");
    }
}
