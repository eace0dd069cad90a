using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests;

/// <summary>PROTOCOL.md "Sequence" and RFC 5321 §4.1.4: 503 5.5.1 with the state unchanged.</summary>
public class SequenceTests
{
    [Test]
    public async Task Mail_before_ehlo_is_a_bad_sequence()
    {
        var result = await ExpectAsync(Mail + Ehlo + Mail + "QUIT\r\n", "503 5.5.1", "250", "250 2.1.0", "221 2.0.0");
        Assert.That(result.Lines.Any(l => l.Contains("send EHLO/HELO first")), Is.True);
    }

    [Test]
    public async Task Rcpt_before_mail_is_a_bad_sequence_and_changes_nothing()
    {
        await ExpectAsync(Ehlo + Rcpt + Mail + Rcpt + "DATA\r\n" + Message + "QUIT\r\n",
            "250", "503 5.5.1", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0");
    }

    [Test]
    public async Task A_second_mail_is_a_bad_sequence_and_the_first_sender_stays()
    {
        var result = await ExpectAsync(Ehlo + Mail + "MAIL FROM:<other@example.com>\r\n" + Rcpt + "DATA\r\n" + Message,
            "250", "250 2.1.0", "503 5.5.1", "250 2.1.5", "354", "250 2.0.0");
        Assert.That(result.Store.Messages.Single().Sender.Address, Is.EqualTo("alice@example.com"));
    }

    [Test]
    public async Task Data_before_rcpt_is_a_bad_sequence_never_354()
    {
        await ExpectAsync(Ehlo + "DATA\r\n" + Mail + "DATA\r\n", "250", "503 5.5.1", "250 2.1.0", "503 5.5.1");
    }

    [Test]
    public async Task Data_after_every_recipient_was_refused_is_554()
    {
        await ExpectAsync(Ehlo + Mail + "RCPT TO:<bad@>\r\nRCPT TO:<x@y.example> FOO=BAR\r\nDATA\r\n",
            "250", "250 2.1.0", "501 5.1.3", "555 5.5.4", "554 5.5.1");
    }

    [Test]
    public async Task Rset_clears_the_transaction_and_never_closes()
    {
        await ExpectAsync(Ehlo + Mail + Rcpt + "RSET\r\n" + Rcpt + "NOOP\r\n", "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "503 5.5.1", "250 2.0.0");
    }

    [Test]
    public async Task Ehlo_in_a_transaction_resets_it()
    {
        await ExpectAsync(Ehlo + Mail + Rcpt + Ehlo + "DATA\r\n" + Mail, "250", "250 2.1.0", "250 2.1.5", "250", "503 5.5.1", "250 2.1.0");
    }

    [Test]
    public async Task A_refused_ehlo_changes_nothing()
    {
        await ExpectAsync(Ehlo + Mail + Rcpt + "EHLO\r\nDATA\r\n" + Message, "250", "250 2.1.0", "250 2.1.5", "501 5.5.4", "354", "250 2.0.0");
    }

    [Test]
    public async Task Noop_help_vrfy_expn_rset_are_allowed_before_ehlo()
    {
        var result = await ExpectAsync("NOOP\r\nHELP\r\nVRFY bob\r\nEXPN list\r\nRSET\r\n" + Mail,
            "250 2.0.0", "214 2.0.0", "252 2.0.0", "502 5.5.1", "250 2.0.0", "503 5.5.1");
        Assert.That(result.Session.State, Is.EqualTo(Session.SessionState.Connected));
    }

    [Test]
    public async Task Helo_opens_a_plain_smtp_session_without_extensions()
    {
        var result = await ExpectAsync("HELO client.test\r\n" + Mail + Rcpt + "DATA\r\n" + Message + "MAIL FROM:<a@b.example> SIZE=10\r\n",
            "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "555 5.5.4");
        Assert.That(result.Lines[1], Is.EqualTo("250 mx.test Hello client.test"));
    }
}
