using System.Text;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Aftermath;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>The original's header block as reports attach it: the captured octets up to the empty line, from memory or disk.</summary>
public class OriginalContentTests
{
    [TestCase("A: 1\r\nB: 2\r\n\r\nbody\r\n", "A: 1\r\nB: 2\r\n", TestName = "The header block ends before the empty line")]
    [TestCase("A: 1\nB: 2\n\nbody\n", "A: 1\nB: 2\n", TestName = "Bare LF line endings are kept as they came")]
    [TestCase("A: 1\r\n folded\r\n\r\n", "A: 1\r\n folded\r\n", TestName = "A folded field is kept folded")]
    [TestCase("A: 1\r\nB: 2\r\n", "A: 1\r\nB: 2\r\n", TestName = "Content without an empty line is all header")]
    [TestCase("\r\nbody\r\n", "", TestName = "Content that starts with the empty line has no header")]
    public void The_header_block_is_the_captured_octets(string content, string block)
    {
        Assert.That(Encoding.UTF8.GetString(OriginalContent.HeaderBlock(InMemory(content))), Is.EqualTo(block));
    }

    [Test]
    public void A_message_kept_on_disk_is_read_from_its_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "Subject: on disk\r\nX-Big: yes\r\n\r\n" + new string('x', 100_000) + "\r\n");
            var original = new CapturedMessage("1", 1, DateTimeOffset.UnixEpoch, "127.0.0.1:1", "client.test", new MailPath("a", "example.com", null), [],
                [new Recipient(new MailPath("b", "example.net", null), [])], null, file);

            Assert.That(Encoding.UTF8.GetString(OriginalContent.HeaderBlock(original)), Is.EqualTo("Subject: on disk\r\nX-Big: yes\r\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Content_mimekit_reads_as_headerless_attaches_no_headers()
    {
        var original = InMemory("just a line of text\r\n");

        var part = OriginalContent.Part(original, original.Message, full: false);

        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        Assert.That(content.Length, Is.Zero);
        Assert.That(part.ContentType.MimeType, Is.EqualTo("text/rfc822-headers"));
    }

    private static CapturedMessage InMemory(string content) =>
        new("1", 1, DateTimeOffset.UnixEpoch, "127.0.0.1:1", "client.test", new MailPath("a", "example.com", null), [],
            [new Recipient(new MailPath("b", "example.net", null), [])], Encoding.UTF8.GetBytes(content));
}
