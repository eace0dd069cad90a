using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests.Sessions;

/// <summary>
/// Telnet and <c>nc</c> without <c>-C</c> end a message with a bare-LF dot, which rightly never ends DATA; the session
/// says why it still waits, once (issue #10, item 8).
/// </summary>
public class BareLfDotTests
{
    private const string Hint = "a lone '.' ended by a bare LF does not end DATA";

    [TestCase(Split.Whole)]
    [TestCase(Split.PerLine)]
    [TestCase(Split.PerByte)]
    public async Task A_bare_lf_dot_does_not_end_data_and_the_transcript_says_why_once(Split split)
    {
        var dialog = Ehlo.Replace("\r\n", "\n") + Mail.Replace("\r\n", "\n") + Rcpt.Replace("\r\n", "\n") + "DATA\n"
            + "Subject: typed\n\nhello\n.\n" + "more typing\n.\n";
        var result = await SessionDriver.RunAsync(Splitter.Bytes(dialog), split, hangAtEnd: false);
        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "250 2.1.0", "250 2.1.5", "354" }), "no reply after 354: the message has not ended");
        Assert.That(result.Store.Count, Is.Zero);
        var notes = result.Session.Transcript.Lines.Where(l => l.Text.Contains(Hint, StringComparison.Ordinal)).ToList();
        Assert.That(notes, Has.Count.EqualTo(1), "said once, not once per dot line");
        Assert.That(notes[0].Text, Does.Contain("nc -C"));
    }

    [Test]
    public async Task A_crlf_dot_after_a_bare_lf_dot_ends_the_message_and_keeps_the_dot_line_as_content()
    {
        var result = await SessionDriver.RunAsync(Ehlo + Mail + Rcpt + "DATA\r\nline\n.\nafter\r\n.\r\n");
        Assert.That(result.Codes.Last(), Is.EqualTo("250 2.0.0"));
        Assert.That(System.Text.Encoding.ASCII.GetString(result.Store.Messages.Single().Raw.Span), Is.EqualTo("line\r\n.\r\nafter\r\n"));
    }

    [Test]
    public async Task A_normal_message_has_no_hint()
    {
        var result = await SessionDriver.RunAsync(Ehlo + Mail + Rcpt + "DATA\r\n" + Message);
        Assert.That(result.Session.Transcript.Lines.Any(l => l.Text.Contains(Hint, StringComparison.Ordinal)), Is.False);
    }
}
