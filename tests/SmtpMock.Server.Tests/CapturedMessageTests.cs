using System.Text;
using MimeKit;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Tests;

/// <summary>A captured message's parsed form, for any content a client can get accepted.</summary>
public class CapturedMessageTests
{
    private static CapturedMessage Captured(string content) =>
        new("1", 1, DateTimeOffset.UnixEpoch, "127.0.0.1:1", "client.test", new MailPath("a", "example.com", null), [],
            [new Recipient(new MailPath("b", "example.com", null), [])], Encoding.UTF8.GetBytes(content));

    // SMTP accepts any content: "DATA" then "x" then ".", or "BDAT 0 LAST". MimeKit refuses content that does not
    // start with a header block, and the message list of the HTTP API answered 500 for everyone once one was captured.
    [TestCase("", TestName = "Empty_content_parses_as_a_message_without_headers")]
    [TestCase("x\r\n", TestName = "A_line_without_a_colon_parses_as_the_body_of_a_message_without_headers")]
    [TestCase("abcdef", TestName = "Content_without_a_line_ending_parses_as_the_body_of_a_message_without_headers")]
    public void Content_without_a_header_block(string content)
    {
        var message = Captured(content).Message;

        Assert.Multiple(() =>
        {
            Assert.That(message.Subject, Is.Null);
            Assert.That(message.Attachments, Is.Empty);
            // MimeKit gives text with LF line endings.
            Assert.That(message.TextBody ?? string.Empty, Is.EqualTo(content.ReplaceLineEndings("\n")));
        });
    }

    [Test]
    public void Content_with_headers_is_parsed_as_they_say()
    {
        var message = Captured("Subject: hello\r\nContent-Type: text/plain\r\n\r\nHi Bob.\r\n").Message;

        Assert.That(message.Subject, Is.EqualTo("hello"));
        Assert.That(message.TextBody, Is.EqualTo("Hi Bob.\n"));
    }
}
