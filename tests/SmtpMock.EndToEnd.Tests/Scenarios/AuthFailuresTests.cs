using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using SmtpMock.EndToEnd.Tests.Security;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/auth-failures.yaml: 535, 454, 534 and a slow 235, each for its own user; MAIL needs a login.</summary>
[TestFixture]
public sealed class AuthFailuresTests
{
    private const string Scenario = "auth-failures";

    private static async Task<SmtpClient> ConnectAsync(SmtpMockServer server, CancellationToken cancellationToken)
    {
        var client = ScenarioKit.NewClient();
        client.ServerCertificateValidationCallback = (_, certificate, _, _) => TlsLineClient.Pinned(server.TlsCertificate!, certificate);
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.StartTls, cancellationToken);
        return client;
    }

    [Test]
    public async Task A_locked_user_gets_535_and_a_temporarily_failing_one_454()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = await ConnectAsync(server, timeout.Token);

        var locked = await ScenarioKit.CatchAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismPlain("locked@example.com", "pw"), timeout.Token));
        var busy = await ScenarioKit.CatchAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismPlain("busy@example.com", "pw"), timeout.Token));

        Assert.That(locked.Message, Is.EqualTo("535: 5.7.8 Authentication credentials invalid"));
        Assert.That(busy.Message, Is.EqualTo("454: 4.7.0 Temporary authentication failure"));
        Assert.That(client.IsAuthenticated, Is.False);
    }

    [Test]
    public async Task Mail_needs_a_login_and_anyone_else_logs_in_and_sends()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = await ConnectAsync(server, timeout.Token);

        var anonymous = await ScenarioKit.CatchAsync<ServiceNotAuthenticatedException>(() => client.SendAsync(ScenarioKit.Message("anonymous", "to@example.org"), timeout.Token));
        await client.AuthenticateAsync(new SaslMechanismLogin("app@example.com", "any password"), timeout.Token);
        var reply = await client.SendAsync(ScenarioKit.Message("logged in", "to@example.org"), timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);

        Assert.That(anonymous.Message, Is.EqualTo("5.7.0 Authentication required"));
        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));
        Assert.That(captured.AuthenticatedUser, Is.EqualTo("app@example.com"));
        Assert.That(captured.AuthMechanism, Is.EqualTo("LOGIN"));
    }
}
