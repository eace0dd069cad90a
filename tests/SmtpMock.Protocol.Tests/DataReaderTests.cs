using System.Buffers;
using System.Text;
using SmtpMock.Protocol.Framing;

namespace SmtpMock.Protocol.Tests;

public class DataReaderTests
{
    private static (DataStatus Status, string Content, string Remainder, DataReader Reader) Read(
        string input, int segmentSize = 4096, BareLineEndingPolicy policy = BareLineEndingPolicy.Normalize, long max = 1 << 20, int maxLine = 1000)
    {
        var reader = new DataReader(max, maxLine, policy);
        var output = new ArrayBufferWriter<byte>();
        var status = DataStatus.NeedMore;
        var rest = new List<byte>();
        foreach (var chunk in Encoding.Latin1.GetBytes(input).Chunk(segmentSize))
        {
            var buffer = Segments.Of(chunk);
            if (status == DataStatus.NeedMore)
            {
                status = reader.Read(ref buffer, output);
            }

            rest.AddRange(buffer.ToArray());
        }

        return (status, Encoding.Latin1.GetString(output.WrittenSpan), Encoding.Latin1.GetString(rest.ToArray()), reader);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4096)]
    public void Ends_on_crlf_dot_crlf_and_leaves_what_follows(int segmentSize)
    {
        var (status, content, rest, _) = Read("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n", segmentSize);
        Assert.That(status, Is.EqualTo(DataStatus.Complete));
        Assert.That(content, Is.EqualTo("Subject: x\r\n\r\nbody\r\n"));
        Assert.That(rest, Is.EqualTo("QUIT\r\n"));
    }

    [TestCase(1)]
    [TestCase(4096)]
    public void Removes_the_transparency_dot(int segmentSize)
    {
        var (_, content, _, _) = Read("..leading\r\n...two\r\n.x\r\nmid.dle\r\n.\r\n", segmentSize);
        Assert.That(content, Is.EqualTo(".leading\r\n..two\r\nx\r\nmid.dle\r\n"));
    }

    [Test]
    public void An_empty_message_ends_at_once()
    {
        var (status, content, _, _) = Read(".\r\n");
        Assert.That(status, Is.EqualTo(DataStatus.Complete));
        Assert.That(content, Is.Empty);
    }

    // SMTP smuggling (CVE-2023-51764/65/66): none of these ends the message or splits it in two.
    [TestCase("a\n.\nMAIL FROM:<x@y>\r\n")]
    [TestCase("a\n.\r\nMAIL FROM:<x@y>\r\n")]
    [TestCase("a\r.\rMAIL FROM:<x@y>\r\n")]
    [TestCase("a\r\n.\nMAIL FROM:<x@y>\r\n")]
    [TestCase("a\r\n\0.\r\nMAIL FROM:<x@y>\r\n")]
    [TestCase("a\r\n.\rMAIL FROM:<x@y>\r\n")]
    public void Smuggling_endings_never_end_the_message(string smuggled)
    {
        foreach (var size in new[] { 1, 2, 4096 })
        {
            var (status, content, rest, reader) = Read(smuggled + ".\r\nNOOP\r\n", size);
            Assert.That(status, Is.EqualTo(DataStatus.Complete));
            Assert.That(rest, Is.EqualTo("NOOP\r\n"), "only the real CRLF.CRLF ends the message");
            Assert.That(content, Does.Contain("MAIL FROM:<x@y>"), "the smuggled command stays content");
            Assert.That(reader.BareLineEndings + (smuggled.Contains('\0') ? 1 : 0), Is.GreaterThan(0));
        }
    }

    [Test]
    public void Normalises_bare_line_endings_by_default()
    {
        var (_, content, _, reader) = Read("a\nb\rc\r\n.\r\n");
        Assert.That(content, Is.EqualTo("a\r\nb\r\nc\r\n"));
        Assert.That(reader.BareLineEndings, Is.EqualTo(2));
    }

    [Test]
    public void Keeps_bare_line_endings_when_asked()
    {
        var (_, content, _, reader) = Read("a\nb\rc\r\n.\r\n", policy: BareLineEndingPolicy.Keep);
        Assert.That(content, Is.EqualTo("a\nb\rc\r\n"));
        Assert.That(reader.BareLineEndings, Is.EqualTo(2));
    }

    [Test]
    public void Counts_size_past_the_limit_but_stops_writing()
    {
        var (status, content, rest, reader) = Read(new string('x', 50) + "\r\n" + new string('y', 50) + "\r\n.\r\nNOOP\r\n", max: 60);
        Assert.That(status, Is.EqualTo(DataStatus.Complete));
        Assert.That(reader.SizeExceeded, Is.True);
        Assert.That(reader.Size, Is.EqualTo(104));
        Assert.That(content.Length, Is.LessThanOrEqualTo(60));
        Assert.That(rest, Is.EqualTo("NOOP\r\n"));
    }

    [Test]
    public void Flags_a_line_over_the_limit_and_reads_on_to_the_end()
    {
        var (status, _, rest, reader) = Read(new string('x', 999) + "\r\nok\r\n.\r\nNOOP\r\n", segmentSize: 7, maxLine: 1000);
        Assert.That(status, Is.EqualTo(DataStatus.Complete));
        Assert.That(reader.LineTooLong, Is.True);
        Assert.That(rest, Is.EqualTo("NOOP\r\n"));

        var (_, _, _, fits) = Read(new string('x', 998) + "\r\n.\r\n", maxLine: 1000);
        Assert.That(fits.LineTooLong, Is.False);
    }

    [Test]
    public void Reset_starts_a_fresh_message()
    {
        var reader = new DataReader(100, 1000, BareLineEndingPolicy.Normalize);
        var first = Segments.Of("a\nb"u8.ToArray());
        reader.Read(ref first, null);
        reader.Reset();
        var second = Segments.Of(".\r\n"u8.ToArray());
        Assert.That(reader.Read(ref second, null), Is.EqualTo(DataStatus.Complete));
        Assert.That(reader.Size, Is.Zero);
        Assert.That(reader.BareLineEndings, Is.Zero);
    }

    // The reader copies runs of plain lines in one piece and leaves the rest to its state machine: whatever the
    // content and wherever the segments split it, the result must be what one byte at a time gives.
    [TestCase(BareLineEndingPolicy.Normalize)]
    [TestCase(BareLineEndingPolicy.Keep)]
    public void Any_content_split_anywhere_reads_as_it_does_one_byte_at_a_time(BareLineEndingPolicy policy)
    {
        string[] pieces = ["a", "bc", "\r\n", "\r\n", ".", "..", "\r", "\n", "xyz ", "\r\n.", "\n.", new string('q', 40)];
        var random = new Random(5321);
        for (var round = 0; round < 400; round++)
        {
            var body = new StringBuilder();
            var count = random.Next(0, 60);
            for (var p = 0; p < count; p++)
            {
                body.Append(pieces[random.Next(pieces.Length)]);
            }

            var input = body + "\r\n.\r\nNOOP\r\n";
            var expected = Read(input, segmentSize: 1, policy, max: 300, maxLine: 30);
            foreach (var size in new[] { 2, 3, 5, 16, 64, 4096 })
            {
                var actual = Read(input, size, policy, max: 300, maxLine: 30);
                var what = $"round {round}, segments of {size}: {input.ReplaceLineEndings("|")}";
                Assert.That(actual.Status, Is.EqualTo(expected.Status), what);
                Assert.That(actual.Content, Is.EqualTo(expected.Content), what);
                Assert.That(actual.Remainder, Is.EqualTo(expected.Remainder), what);
                Assert.That(actual.Reader.Size, Is.EqualTo(expected.Reader.Size), what);
                Assert.That(actual.Reader.LineTooLong, Is.EqualTo(expected.Reader.LineTooLong), what);
                Assert.That(actual.Reader.BareLineEndings, Is.EqualTo(expected.Reader.BareLineEndings), what);
                Assert.That(actual.Reader.BareLfDotLines, Is.EqualTo(expected.Reader.BareLfDotLines), what);
            }
        }
    }
}
