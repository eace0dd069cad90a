using SmtpMock.Server.Scenarios;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests.Faults;

/// <summary>
/// The zero-config forms of issue #23 with no scenario: senders, plus-labels, EHLO names, AUTH user names, and the
/// network-fault recipients, each dialog fed whole, per line and per byte.
/// </summary>
public class ZeroConfigFormTests
{
    private static string From(string address) => $"MAIL FROM:<{address}>\r\n";

    private static string To(string address) => $"RCPT TO:<{address}>\r\n";

    [TestCase("503@smtpmock.test", "503 5.5.1 Bad sequence of commands")]
    [TestCase("550@smtpmock.test", "550 5.7.1 Sender address rejected")]
    [TestCase("451+signup-test@smtpmock.test", "451 4.3.0 Requested action aborted: local error in processing")]
    public async Task A_sender_form_fails_at_mail_and_opens_no_transaction(string sender, string reply)
    {
        var result = await ExpectAsync(Ehlo + From(sender) + Rcpt, "250", reply[..9], "503 5.5.1");
        Assert.That(result.Lines, Does.Contain(reply));
        Assert.That(result.Session.Sender, Is.Null);
    }

    [Test]
    public async Task A_data_sender_fails_the_message_after_the_dot()
    {
        var result = await ExpectAsync(Ehlo + From("552-data@smtpmock.test") + Rcpt + "DATA\r\n" + Message,
            "250", "250 2.1.0", "250 2.1.5", "354", "552 5.3.4");
        Assert.That(result.Store.Messages, Is.Empty);
    }

    [Test]
    public async Task A_plus_label_keeps_the_form_and_stays_in_the_captured_envelope()
    {
        var refused = await ExpectAsync(Ehlo + Mail + To("503+signup-test@smtpmock.test"), "250", "250 2.1.0", "503 5.5.1");
        Assert.That(refused.Session.Transcript.Lines.Any(l => l.Text == "rule 'simulator:503' fired at RCPT"), Is.True);

        var accepted = await ExpectAsync(Ehlo + Mail + To("fragment+signup-test@smtpmock.test") + "DATA\r\n" + Message,
            "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0");
        Assert.That(accepted.Store.Messages.Single().Recipients.Single().Address, Is.EqualTo("fragment+signup-test@smtpmock.test"));
    }

    [TestCase("421", "421")]
    [TestCase("554", "554")]
    [TestCase("450", "450")]
    public async Task An_ehlo_name_of_a_code_answers_ehlo_with_it(string code, string expected)
    {
        var result = await ExpectAsync($"EHLO {code}.smtpmock.test\r\nHELO client.test\r\n", code == "421" ? [expected] : [expected, "250"]);
        Assert.That(result.Lines[1], Does.StartWith(expected + " "));
        Assert.That(result.Lines[1], Does.Not.Contain(" 4.").And.Not.Contain(" 5."), "no enhanced code before EHLO succeeds");
    }

    [Test]
    public async Task Ehlo_words_take_extensions_away_and_their_commands_are_refused()
    {
        var options = Harness.SessionDriver.Options(o => o with { AllowPlaintextAuth = true });
        var result = await ExpectAsync(
            "EHLO nopipelining.nostarttls.noauth.nochunking.no8bitmime.size1000.smtpmock.test\r\n"
            + "STARTTLS\r\nAUTH PLAIN AGFAYg==\r\nMAIL FROM:<a@example.com> BODY=8BITMIME\r\nMAIL FROM:<a@example.com> SIZE=1001\r\n"
            + "MAIL FROM:<a@example.com> SIZE=1000\r\n" + Rcpt + "BDAT 1 LAST\r\nx" + "DATA\r\n" + string.Concat(Enumerable.Repeat(new string('x', 98) + "\r\n", 11)) + ".\r\n",
            options,
            "250", "502 5.5.1", "502 5.5.1", "555 5.5.4", "552 5.3.4", "250 2.1.0", "250 2.1.5", "502 5.5.1", "354", "552 5.3.4");
        var ehlo = result.Lines.Skip(1).TakeWhile(l => l.StartsWith("250", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ehlo, Has.None.Contains("PIPELINING").And.None.Contains("STARTTLS").And.None.Contains("AUTH").And.None.Contains("CHUNKING").And.None.Contains("8BITMIME"));
            Assert.That(ehlo, Has.Some.EndsWith("SIZE 1000"));
            Assert.That(ehlo, Has.Some.Contains("SMTPUTF8"), "what was not named stays");
            Assert.That(result.Store.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task An_ehlo_name_with_a_word_of_no_family_is_an_ordinary_name()
    {
        var result = await ExpectAsync("EHLO nopipelining.banana.smtpmock.test\r\n", "250");
        Assert.That(result.Lines, Has.Some.Contains("PIPELINING"));
    }

    [TestCase("535", "535 5.7.8")]
    [TestCase("454", "454 4.7.0")]
    [TestCase("534", "534 5.7.9")]
    public async Task An_auth_user_of_a_code_gets_that_code_whatever_the_password(string code, string expected)
    {
        var options = Harness.SessionDriver.Options(o => o with { AllowPlaintextAuth = true });
        var credential = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"\0{code}@smtpmock.test\0anything"));
        var result = await ExpectAsync(Ehlo + $"AUTH PLAIN {credential}\r\n" + Mail, options, "250", expected, "250 2.1.0");
        Assert.That(result.Session.AuthenticatedUser, Is.Null);
    }

    [TestCase("hang@smtpmock.test", "hung without a reply by rule 'simulator:hang'")]
    [TestCase("reset@smtpmock.test", "reset without a reply by rule 'simulator:reset'")]
    public async Task Hang_and_reset_recipients_get_no_reply(string recipient, string ended)
    {
        var result = await ExpectAsync(Ehlo + Mail + To(recipient) + "NOOP\r\n", "250", "250 2.1.0");
        Assert.That(result.Session.EndReason, Is.EqualTo(ended));
        Assert.That(result.Session.ResetOnClose, Is.EqualTo(recipient.StartsWith("reset", StringComparison.Ordinal)));
    }

    [Test]
    public async Task A_reset_data_recipient_is_accepted_and_the_connection_reset_after_354()
    {
        var result = await ExpectAsync(Ehlo + Mail + To("reset-data@smtpmock.test") + "DATA\r\n" + Message, "250", "250 2.1.0", "250 2.1.5", "354");
        Assert.That(result.Session.ResetOnClose, Is.True);
        Assert.That(result.Store.Messages, Is.Empty);
    }

    [TestCase("slow-200bps", "replies from now on at 200 octets a second")]
    [TestCase("fragment", "replies from now on 3 octets per write")]
    public void Slow_and_fragment_forms_read(string local, string note)
    {
        var form = FailureForm.Of(local);
        Assert.That(form.Kind, Is.EqualTo(local == "fragment" ? FailureKind.Fragment : FailureKind.Throttle));
        Assert.That(new Session.ReplyPacing(form.Kind == FailureKind.Throttle ? form.Rate : null, form.Kind == FailureKind.Fragment, TimeProvider.System).ToString(), Is.EqualTo(note));
    }

    [TestCase("slow-0bps")]
    [TestCase("slow-bps")]
    [TestCase("hang-data")]
    public void Near_misses_are_unknown(string local) => Assert.That(FailureForm.Of(local).Kind, Is.EqualTo(FailureKind.Unknown));
}
