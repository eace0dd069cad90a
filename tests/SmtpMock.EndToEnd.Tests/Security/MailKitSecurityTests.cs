using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>
/// MailKit as an application configured for production would be: STARTTLS on the submission port or TLS on
/// connect, then a login, trusting only the server's exported certificate (pinned, no name or chain checks).
/// </summary>
[TestFixture]
public sealed class MailKitSecurityTests
{
    private static readonly Dictionary<string, string> Tim = new() { ["tim"] = "right" };

    private static SaslMechanism Mechanism(string name, string user, string password) => name switch
    {
        "PLAIN" => new SaslMechanismPlain(user, password),
        "LOGIN" => new SaslMechanismLogin(user, password),
        "CRAM-MD5" => new SaslMechanismCramMd5(user, password),
        "XOAUTH2" => new SaslMechanismOAuth2(user, password),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static MimeMessage Message(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("app@example.com"));
        message.To.Add(MailboxAddress.Parse("user@example.org"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Sent with production settings." };
        return message;
    }

    private static async Task<SmtpClient> ConnectAsync(SmtpMockServer server, SecureSocketOptions security, IPEndPoint? endPoint = null)
    {
        var client = new SmtpClient
        {
            Timeout = (int)TestServer.Deadline.TotalMilliseconds,
            ServerCertificateValidationCallback = (_, certificate, _, _) => TlsLineClient.Pinned(server.TlsCertificate!, certificate),
        };
        endPoint ??= server.EndPoint;
        using var timeout = TestServer.Timeout();
        await client.ConnectAsync(endPoint.Address.ToString(), endPoint.Port, security, timeout.Token);
        return client;
    }

    [TestCase("PLAIN")]
    [TestCase("LOGIN")]
    [TestCase("CRAM-MD5")]
    [TestCase("XOAUTH2")]
    public async Task StartTls_then_each_mechanism_logs_in_and_the_message_records_tls_and_user(string mechanism)
    {
        await using var server = await TestServer.StartAsync(o => o with { AuthUsers = Tim });
        using var client = await ConnectAsync(server, SecureSocketOptions.StartTls);
        using var timeout = TestServer.Timeout();

        Assert.That(client.IsSecure, Is.True);
        Assert.That(client.AuthenticationMechanisms, Is.SupersetOf(new[] { "PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2" }));
        await client.AuthenticateAsync(Mechanism(mechanism, "tim", "right"), timeout.Token);
        var reply = await client.SendAsync(Message(mechanism), timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);

        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));
        Assert.That(captured.AuthenticatedUser, Is.EqualTo("tim"));
        Assert.That(captured.AuthMechanism, Is.EqualTo(mechanism));
        Assert.That(captured.Tls, Does.StartWith("TLSv1."));
    }

    [TestCase("PLAIN")]
    [TestCase("LOGIN")]
    [TestCase("CRAM-MD5")]
    [TestCase("XOAUTH2")]
    public async Task A_wrong_password_is_refused_with_535(string mechanism)
    {
        await using var server = await TestServer.StartAsync(o => o with { AuthUsers = Tim });
        using var client = await ConnectAsync(server, SecureSocketOptions.StartTls);
        using var timeout = TestServer.Timeout();

        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(Mechanism(mechanism, "tim", "wrong"), timeout.Token));
        Assert.That(refused!.Message, Does.Contain("5.7.8").Or.Contain("invalid").IgnoreCase);
        Assert.That(client.IsAuthenticated, Is.False);
    }

    [Test]
    public async Task Ssl_on_connect_to_the_tls_port_logs_in_with_the_apps_own_credentials()
    {
        // No users configured: accept-any, so an application's real credentials just work.
        await using var server = await TestServer.StartAsync(o => o with { ImplicitTlsPort = 0 });
        using var client = await ConnectAsync(server, SecureSocketOptions.SslOnConnect, server.TlsEndPoint);
        using var timeout = TestServer.Timeout();

        await client.AuthenticateAsync("prod-user@example.com", "prod-password", timeout.Token);
        var reply = await client.SendAsync(Message("implicit"), timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);

        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));
        Assert.That(captured.IsSecure, Is.True);
        Assert.That(captured.AuthenticatedUser, Is.EqualTo("prod-user@example.com"));
    }

    [Test]
    public async Task Required_tls_and_auth_refuse_a_client_that_skips_them_and_serve_one_that_does_not()
    {
        await using var server = await TestServer.StartAsync(o => o with { RequireTls = true, AuthRequired = true, AuthUsers = Tim });
        using var timeout = TestServer.Timeout();

        using (var plain = await ConnectAsync(server, SecureSocketOptions.None))
        {
            // MailKit turns a 530 into ServiceNotAuthenticatedException with the server's text.
            var refused = await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() => plain.SendAsync(Message("plain"), timeout.Token));
            Assert.That(refused!.Message, Is.EqualTo("5.7.0 Must issue a STARTTLS command first"));
        }

        using (var anonymous = await ConnectAsync(server, SecureSocketOptions.StartTls))
        {
            var refused = await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() => anonymous.SendAsync(Message("anonymous"), timeout.Token));
            Assert.That(refused!.Message, Is.EqualTo("5.7.0 Authentication required"));
        }

        using var good = await ConnectAsync(server, SecureSocketOptions.StartTls);
        await good.AuthenticateAsync("tim", "right", timeout.Token);
        var reply = await good.SendAsync(Message("good"), timeout.Token);
        Assert.That(reply, Does.Contain("queued as"));
        await good.DisconnectAsync(quit: true, timeout.Token);
        Assert.That(server.Messages.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Before_tls_mailkit_sees_only_cram_md5_and_a_plain_login_gets_538()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await ConnectAsync(server, SecureSocketOptions.None);
        using var timeout = TestServer.Timeout();

        Assert.That(client.AuthenticationMechanisms, Is.EquivalentTo(new[] { "CRAM-MD5" }));
        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismPlain("tim", "x"), timeout.Token));
        Assert.That(refused!.Message, Does.Contain("Encryption required"));
    }
}
