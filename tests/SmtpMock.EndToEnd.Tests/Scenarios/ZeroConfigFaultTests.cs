using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Time.Testing;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>
/// The zero-config forms of issue #23, with no scenario, as MailKit sees them: network-fault recipients, sender forms,
/// plus-labels, EHLO names and AUTH user names at smtpmock.test.
/// </summary>
[TestFixture]
public sealed class ZeroConfigFaultTests
{
    [Test]
    public async Task Hang_recipient_makes_MailKit_time_out()
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient(TimeSpan.FromMilliseconds(300));
        await client.ConnectToAsync(server, timeout.Token);

        await ScenarioKit.CatchAsync<TimeoutException>(() => client.SendAsync(ScenarioKit.Message("hang", "hang@smtpmock.test"), timeout.Token));
        var session = await server.WaitForSessionAsync(1);
        Assert.That(session.EndReason, Is.EqualTo("hung without a reply by rule 'simulator:hang'"));
    }

    [TestCase("reset@smtpmock.test")]
    [TestCase("reset-data@smtpmock.test")]
    public async Task Reset_recipients_make_MailKit_fail_on_a_reset_connection(string recipient)
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);

        Exception? failure = null;
        try
        {
            await client.SendAsync(ScenarioKit.Message("reset", recipient), timeout.Token);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // MailKit wraps the socket's ECONNRESET in an IOException, or (when the reset lands between its reads) reports the
        // lost connection as SmtpProtocolException; either way it is not a reply code.
        Assert.That(failure, Is.InstanceOf<IOException>().Or.InstanceOf<SmtpProtocolException>(), failure?.ToString());
        Assert.That(failure, Is.Not.InstanceOf<SmtpCommandException>());
        Assert.That(client.IsConnected, Is.False);
        var session = await server.WaitForSessionAsync(1);
        Assert.That(session.ResetOnClose, Is.True);
        Assert.That(server.Messages.Count, Is.Zero);
    }

    [TestCase("slow-4000bps+t1@smtpmock.test", "replies from now on at 4000 octets a second")]
    [TestCase("fragment+t2@smtpmock.test", "replies from now on 3 octets per write")]
    public async Task Slow_and_fragment_recipients_deliver_and_keep_their_label(string recipient, string note)
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);
        var reply = await client.SendAsync(ScenarioKit.Message("slow", recipient), timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);

        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(reply));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { recipient }), "the plus-label stays in the envelope");
        Assert.That((await server.WaitForSessionAsync(1)).Notes(), Does.Contain(note));
    }

    [Test]
    public async Task A_sender_form_fails_at_mail_with_its_code()
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);
        var message = ScenarioKit.Message("sender", "to@example.org");
        message.From.Clear();
        message.From.Add(new MimeKit.MailboxAddress(null, "503+signup-test@smtpmock.test"));

        var failure = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.SendAsync(message, timeout.Token));
        Assert.Multiple(() =>
        {
            Assert.That(failure.ErrorCode, Is.EqualTo(SmtpErrorCode.SenderNotAccepted));
            Assert.That((int)failure.StatusCode, Is.EqualTo(503));
            Assert.That(ScenarioKit.EnhancedCode(failure), Is.EqualTo("5.5.1"));
        });
    }

    [Test]
    public async Task A_data_sender_fails_the_message_after_the_dot()
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);
        var message = ScenarioKit.Message("data sender", "a@example.org", "b@example.org");
        message.From.Clear();
        message.From.Add(new MimeKit.MailboxAddress(null, "552-data@smtpmock.test"));

        var failure = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.SendAsync(message, timeout.Token));
        Assert.That(failure.ErrorCode, Is.EqualTo(SmtpErrorCode.MessageNotAccepted));
        Assert.That((int)failure.StatusCode, Is.EqualTo(552));
        Assert.That(server.Messages.Count, Is.Zero);
    }

    [Test]
    public async Task Ehlo_421_closes_and_MailKit_reports_the_refusal()
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        client.LocalDomain = "421.smtpmock.test";

        // MailKit reads the 421, sees the connection close and reports it with the reply's text.
        var failure = await ScenarioKit.CatchAsync<SmtpProtocolException>(() => client.ConnectToAsync(server, timeout.Token));
        Assert.That(failure.Message, Is.EqualTo("The SMTP server has unexpectedly disconnected: Service not available, closing transmission channel"));
        Assert.That(client.IsConnected, Is.False);
        Assert.That((await server.WaitForSessionAsync(1)).Replies(), Does.Contain("421 Service not available, closing transmission channel"));
    }

    [Test]
    public async Task Ehlo_words_leave_MailKit_without_the_extensions()
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        client.LocalDomain = "nopipelining.nostarttls.noauth.nochunking.no8bitmime.size1000.smtpmock.test";
        await client.ConnectToAsync(server, timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining), Is.False);
            Assert.That(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS), Is.False);
            Assert.That(client.Capabilities.HasFlag(SmtpCapabilities.Authentication), Is.False);
            Assert.That(client.Capabilities.HasFlag(SmtpCapabilities.Chunking), Is.False);
            Assert.That(client.Capabilities.HasFlag(SmtpCapabilities.EightBitMime), Is.False);
            Assert.That(client.MaxSize, Is.EqualTo(1000));
        });

        var big = ScenarioKit.Message("big", "to@example.org");
        big.Body = new MimeKit.TextPart("plain") { Text = string.Concat(Enumerable.Repeat("a line of text\r\n", 100)) };
        var refused = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.SendAsync(big, timeout.Token));
        Assert.That((int)refused.StatusCode, Is.EqualTo(552));

        var reply = await client.SendAsync(ScenarioKit.Message("small", "to@example.org"), timeout.Token);
        Assert.That(reply, Does.StartWith("2.0.0 OK"));
    }

    [TestCase("535", "535 5.7.8 Authentication credentials invalid")]
    [TestCase("454", "454 4.7.0 Temporary authentication failure")]
    [TestCase("534", "534 5.7.9 Authentication mechanism is too weak")]
    public async Task Auth_user_forms_fail_the_login_whatever_the_password(string code, string reply)
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowPlaintextAuth = true });
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);
        client.AuthenticationMechanisms.Clear();
        client.AuthenticationMechanisms.Add("PLAIN");

        // MailKit throws AuthenticationException for every refused login; for a 4xx the SmtpCommandException is inside it.
        var failure = await ScenarioKit.CatchAsync<AuthenticationException>(() => client.AuthenticateAsync($"{code}@smtpmock.test", "any password", timeout.Token));
        if (code == "454")
        {
            Assert.That(failure.InnerException, Is.TypeOf<SmtpCommandException>().With.Property(nameof(SmtpCommandException.StatusCode)).EqualTo((SmtpStatusCode)454));
        }

        Assert.That(client.IsAuthenticated, Is.False);
        await client.DisconnectAsync(quit: true, timeout.Token);
        Assert.That((await server.WaitForSessionAsync(1)).Replies(), Does.Contain(reply));
    }

    [Test]
    public async Task Slow_auth_user_logs_in_three_seconds_late_on_the_server_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(o => o with { AllowPlaintextAuth = true, TimeProvider = clock });
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);
        client.AuthenticationMechanisms.Clear();
        client.AuthenticationMechanisms.Add("PLAIN");

        var login = client.AuthenticateAsync("slow-3s@smtpmock.test", "x", timeout.Token);
        await FaultKit.UntilAsync(() => server.OpenSessions.SingleOrDefault()?.Notes().Any(n => n.Contains("delays the reply by 3000 ms", StringComparison.Ordinal)) == true, "the login is held");
        clock.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.That(login.IsCompleted, Is.False, "not before 3 s on the server's clock");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await login.WaitAsync(TestServer.Deadline);
        Assert.That(client.IsAuthenticated, Is.True);
    }

    [Test]
    public void A_reset_is_a_socket_error_not_a_close() =>
        Assert.That(FaultKit.SocketErrorIn(new IOException("x", new SocketException((int)SocketError.ConnectionReset))), Is.EqualTo(SocketError.ConnectionReset));
}
