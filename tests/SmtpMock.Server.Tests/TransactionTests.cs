using System.Text;
using SmtpMock.Protocol.Framing;
using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests;

/// <summary>DATA, capture and the framing rows of PROTOCOL.md.</summary>
public class TransactionTests
{
    [Test]
    public async Task A_message_is_captured_with_its_envelope_and_exact_bytes()
    {
        var result = await ExpectAsync(Ehlo + "MAIL FROM:<alice@example.com> BODY=8BITMIME\r\n" + Rcpt + "RCPT TO:<carol@example.com>\r\nDATA\r\n" + Message + "QUIT\r\n",
            "250", "250 2.1.0", "250 2.1.5", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0");
        var message = result.Store.Messages.Single();
        Assert.That(message.Sender.Address, Is.EqualTo("alice@example.com"));
        Assert.That(message.SenderParameters.Single().ToString(), Is.EqualTo("BODY=8BITMIME"));
        Assert.That(message.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "bob@example.com", "carol@example.com" }));
        Assert.That(Encoding.ASCII.GetString(message.Raw.Span), Is.EqualTo("Subject: test\r\n\r\nHello\r\n"));
        Assert.That(message.Message.Subject, Is.EqualTo("test"));
        Assert.That(message.HeloName, Is.EqualTo("client.test"));
        Assert.That(result.Lines.Any(l => l == $"250 2.0.0 OK: queued as {message.Id}"), Is.True);
        Assert.That(result.Session.AcceptedMessages, Is.EqualTo(new[] { message.Id }));
    }

    [Test]
    public async Task Transparency_dots_are_removed()
    {
        var result = await ExpectAsync(Ehlo + Mail + Rcpt + "DATA\r\n..one\r\n...\r\n.\r\n", "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0");
        Assert.That(Encoding.ASCII.GetString(result.Store.Messages.Single().Raw.Span), Is.EqualTo(".one\r\n..\r\n"));
    }

    [TestCase("\n.\n")]
    [TestCase("\n.\r\n")]
    [TestCase("\r.\r")]
    [TestCase("\r\n.\n")]
    [TestCase("\r\n\0.\r\n")]
    public async Task Smuggling_endings_never_end_or_split_the_message(string ending)
    {
        var dialog = Ehlo + Mail + Rcpt + "DATA\r\nSubject: a\r\n\r\nfirst" + ending + "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nforged\r\n.\r\nQUIT\r\n";
        var result = await ExpectAsync(dialog, "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0");
        var message = result.Store.Messages.Single();
        Assert.That(Encoding.ASCII.GetString(message.Raw.Span), Does.Contain("MAIL FROM:<evil@example.com>"));
        Assert.That(message.Recipients.Single().Address, Is.EqualTo("bob@example.com"));
        if (!ending.Contains('\0'))
        {
            Assert.That(result.Session.Transcript.Lines.Any(l => l.Text.Contains("bare CR/LF (normalize; they never end the message)")), Is.True);
        }
    }

    [Test]
    public async Task Bare_line_endings_in_data_can_be_rejected_after_reading_to_the_end()
    {
        var options = SessionDriver.Options(o => o with { BareLineEndingsInData = BareLineEndingPolicy.Reject });
        var result = await ExpectAsync(Ehlo + Mail + Rcpt + "DATA\r\na\nb\r\n.\r\nNOOP\r\n", options, "250", "250 2.1.0", "250 2.1.5", "354", "554 5.6.0", "250 2.0.0");
        Assert.That(result.Store.Count, Is.Zero);
    }

    [Test]
    public async Task A_text_line_of_1000_octets_is_accepted_and_one_of_1001_rejects_the_message_after_the_end()
    {
        var fits = new string('a', 998);
        var result = await ExpectAsync(Ehlo + Mail + Rcpt + $"DATA\r\n{fits}\r\n.\r\n" + Mail + Rcpt + $"DATA\r\n{fits}b\r\nmore\r\n.\r\nNOOP\r\n",
            "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "250 2.1.0", "250 2.1.5", "354", "554 5.6.0", "250 2.0.0");
        Assert.That(result.Store.Count, Is.EqualTo(1), "nothing half-stored");
    }

    [Test]
    public async Task Content_of_64k_and_more_is_accepted()
    {
        var body = string.Concat(Enumerable.Repeat(new string('x', 78) + "\r\n", 1000));
        var result = await SessionDriver.RunAsync(Ehlo + Mail + Rcpt + "DATA\r\n" + body + ".\r\n", Split.Whole);
        Assert.That(result.Codes.Last(), Is.EqualTo("250 2.0.0"));
        Assert.That(result.Store.Messages.Single().Size, Is.EqualTo(80_000));
    }

    [Test]
    public async Task Size_over_the_limit_in_mail_gets_552_even_when_absurd()
    {
        var options = SessionDriver.Options(o => o with { MaxMessageSize = 1000 });
        await ExpectAsync(Ehlo + "MAIL FROM:<a@b.example> SIZE=1001\r\nMAIL FROM:<a@b.example> SIZE=99999999999999999999\r\nMAIL FROM:<a@b.example> SIZE=x\r\nMAIL FROM:<a@b.example> SIZE=1000\r\n",
            options, "250", "552 5.3.4", "552 5.3.4", "501 5.5.4", "250 2.1.0");
    }

    [Test]
    public async Task Data_over_the_size_limit_is_read_to_the_end_and_refused_with_552()
    {
        var options = SessionDriver.Options(o => o with { MaxMessageSize = 100 });
        var result = await ExpectAsync(Ehlo + Mail + Rcpt + "DATA\r\n" + new string('x', 200) + "\r\n.\r\nNOOP\r\n", options,
            "250", "250 2.1.0", "250 2.1.5", "354", "552 5.3.4", "250 2.0.0");
        Assert.That(result.Store.Count, Is.Zero);
    }

    [Test]
    public async Task A_disconnect_mid_data_discards_the_transaction_and_keeps_completed_messages()
    {
        var result = await SessionDriver.RunAsync(Ehlo + Mail + Rcpt + "DATA\r\n" + Message + Mail + Rcpt + "DATA\r\nSubject: half\r\n", Split.PerLine);
        Assert.That(result.Store.Count, Is.EqualTo(1));
        Assert.That(result.Store.Messages[0].Message.Subject, Is.EqualTo("test"));
        Assert.That(result.Session.EndReason, Does.Contain("mid-message"));
    }

    [Test]
    public async Task The_transcript_has_every_line_in_and_out_with_a_data_note()
    {
        var result = await SessionDriver.RunAsync(Ehlo + Mail + Rcpt + "DATA\r\n" + Message + "QUIT\r\n");
        var lines = result.Session.Transcript.Lines;
        Assert.That(lines.Where(l => l.Direction == Session.TranscriptDirection.In).Select(l => l.Text),
            Is.EqualTo(new[] { "EHLO client.test", "MAIL FROM:<alice@example.com>", "RCPT TO:<bob@example.com>", "DATA", "QUIT" }));
        Assert.That(lines.Count(l => l.Direction == Session.TranscriptDirection.Out), Is.EqualTo(result.Lines.Count));
        Assert.That(lines.Any(l => l.Text == "DATA content: 24 octets"), Is.True);
        Assert.That(lines.Select(l => l.At), Is.Ordered);
    }

    [Test]
    public async Task Several_messages_on_one_connection_are_each_captured()
    {
        var one = Mail + Rcpt + "DATA\r\n" + Message;
        var result = await ExpectAsync(Ehlo + one + one + one, "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0");
        Assert.That(result.Store.Messages.Select(m => m.Id).Distinct().Count(), Is.EqualTo(3));
    }
}
