using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests.Sessions;

/// <summary>STARTTLS in the session (RFC 3207), without sockets: the upgrade is a fake that swaps the pipes.</summary>
public class TlsSessionTests
{
    [Test]
    public async Task Ehlo_advertises_starttls_until_tls_is_on_and_a_second_starttls_gets_503()
    {
        var (result, tls) = await SecureDriver.RunAsync(Ehlo + "STARTTLS\r\n", Ehlo + "STARTTLS\r\nQUIT\r\n");

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "220 2.0.0", "250", "503 5.5.1", "221 2.0.0" }), result.Output);
        Assert.That(tls.Upgrades, Is.EqualTo(1));
        var ehlos = SecureDriver.EhloReplies(result);
        Assert.That(ehlos[0], Does.Contain("STARTTLS"));
        Assert.That(ehlos[0], Does.Contain("AUTH CRAM-MD5"), "before TLS only the mechanism that sends no secret");
        Assert.That(ehlos[1], Does.Not.Contain("STARTTLS"));
        Assert.That(ehlos[1], Does.Contain("AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2"));
        Assert.That(result.Session.IsSecure, Is.True);
        Assert.That(result.Session.Transcript.Lines.Select(l => l.Text), Has.Some.EqualTo("TLS started: TLSv1.3 TLS_AES_256_GCM_SHA384"));
    }

    [TestCase(Split.Whole)]
    [TestCase(Split.PerLine)]
    [TestCase(Split.PerByte)]
    public async Task Commands_pipelined_after_starttls_are_never_answered(Split split)
    {
        // CVE-2011-0411: plaintext sent with STARTTLS must not reach the encrypted session.
        var (result, _) = await SecureDriver.RunAsync(Ehlo + "STARTTLS\r\nNOOP\r\nRSET\r\n", "QUIT\r\n", split: split);

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "220 2.0.0", "221 2.0.0" }), result.Output);
        Assert.That(result.Session.Commands, Is.EqualTo(3), "EHLO, STARTTLS and QUIT only");
    }

    [Test]
    public async Task The_discarded_plaintext_is_noted_in_the_transcript()
    {
        var (result, _) = await SecureDriver.RunAsync(Ehlo + "STARTTLS\r\nNOOP\r\n", "QUIT\r\n");

        Assert.That(result.Session.Transcript.Lines.Select(l => l.Text), Has.Some.StartsWith("6 plaintext octets sent after STARTTLS discarded"));
    }

    [Test]
    public async Task After_tls_the_session_starts_over_without_its_helo_name_or_transaction()
    {
        var (result, _) = await SecureDriver.RunAsync(Ehlo + "STARTTLS\r\n", Mail + Ehlo + Rcpt + Mail + "QUIT\r\n");

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "220 2.0.0", "503 5.5.1", "250", "503 5.5.1", "250 2.1.0", "221 2.0.0" }), result.Output);
    }

    [Test]
    public async Task Starttls_with_an_argument_gets_501_and_in_a_transaction_503()
    {
        var (result, tls) = await SecureDriver.RunAsync(Ehlo + "STARTTLS now\r\n" + Mail + "STARTTLS\r\nQUIT\r\n", string.Empty);

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "501 5.5.4", "250 2.1.0", "503 5.5.1", "221 2.0.0" }), result.Output);
        Assert.That(tls.Upgrades, Is.Zero);
    }

    [Test]
    public async Task Require_tls_refuses_mail_rcpt_data_and_auth_with_530_until_tls_and_the_message_records_tls()
    {
        var options = SessionDriver.Options(o => o with { RequireTls = true });
        var plain = Ehlo + Mail + Rcpt + "DATA\r\nAUTH PLAIN\r\nNOOP\r\nSTARTTLS\r\n";
        var secure = Ehlo + Mail + Rcpt + "DATA\r\n" + Message + "QUIT\r\n";

        var (result, _) = await SecureDriver.RunAsync(plain, secure, options);

        Assert.That(result.Codes, Is.EqualTo(new[]
        {
            "250", "530 5.7.0", "530 5.7.0", "530 5.7.0", "530 5.7.0", "250 2.0.0", "220 2.0.0",
            "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0",
        }), result.Output);
        Assert.That(result.Output, Does.Contain("530 5.7.0 Must issue a STARTTLS command first"));
        Assert.That(SecureDriver.EhloReplies(result)[0].Any(l => l.StartsWith("AUTH", StringComparison.Ordinal)), Is.False, "AUTH is not offered where it would get 530");
        var message = result.Store.Messages.Single();
        Assert.That(message.IsSecure, Is.True);
        Assert.That(message.Tls, Is.EqualTo("TLSv1.3 TLS_AES_256_GCM_SHA384"));
    }

    [TestCase(Split.Whole)]
    [TestCase(Split.PerByte)]
    public async Task Require_tls_refuses_bdat_with_530_like_data_and_still_consumes_its_chunk(Split split)
    {
        var options = SessionDriver.Options(o => o with { RequireTls = true });
        var (result, _) = await SecureDriver.RunAsync(Ehlo + "BDAT 4 LAST\r\nNOOPNOOP\r\nSTARTTLS\r\n", "QUIT\r\n", options, split: split);

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "530 5.7.0", "250 2.0.0", "220 2.0.0", "221 2.0.0" }), result.Output);
    }

    [Test]
    public async Task A_failed_handshake_ends_only_the_session_with_the_reason_in_its_transcript()
    {
        var (result, _) = await SecureDriver.RunAsync(Ehlo + "STARTTLS\r\n", "NOOP\r\n", failHandshake: true);

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "220 2.0.0" }), result.Output);
        Assert.That(result.Session.EndReason, Is.EqualTo("TLS handshake failed"));
        Assert.That(result.Session.IsSecure, Is.False);
        Assert.That(result.Session.Transcript.Lines.Select(l => l.Text), Has.Some.EqualTo("TLS handshake failed: garbage instead of a ClientHello"));
    }

    [Test]
    public async Task A_message_sent_in_plaintext_is_not_marked_secure()
    {
        var result = await SessionDriver.RunAsync(Ehlo + Mail + Rcpt + "DATA\r\n" + Message + "QUIT\r\n");

        Assert.That(result.Store.Messages.Single().IsSecure, Is.False);
        Assert.That(result.Store.Messages.Single().AuthenticatedUser, Is.Null);
    }
}
