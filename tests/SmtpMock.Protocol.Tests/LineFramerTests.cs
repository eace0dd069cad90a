using System.Buffers;
using System.Text;
using SmtpMock.Protocol.Framing;

namespace SmtpMock.Protocol.Tests;

public class LineFramerTests
{
    private static List<(LineStatus Status, string Line, LineEnding Ending)> ReadAll(LineFramer framer, ReadOnlySequence<byte> buffer)
    {
        var lines = new List<(LineStatus, string, LineEnding)>();
        while (true)
        {
            var status = framer.TryRead(ref buffer, out var line, out var ending);
            if (status == LineStatus.Incomplete)
            {
                return lines;
            }

            lines.Add((status, Encoding.ASCII.GetString(line.ToArray()), ending));
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    [TestCase(1000)]
    public void Frames_crlf_lines_across_any_segment_boundaries(int segmentSize)
    {
        var bytes = "EHLO a\r\nNOOP\r\nQUIT\r\n"u8.ToArray();
        var lines = ReadAll(new LineFramer(512), Segments.Split(bytes, segmentSize));
        Assert.That(lines.Select(l => l.Line), Is.EqualTo(new[] { "EHLO a", "NOOP", "QUIT" }));
        Assert.That(lines.All(l => l.Ending == LineEnding.CrLf), Is.True);
    }

    [Test]
    public void Reports_a_bare_lf_ending()
    {
        var lines = ReadAll(new LineFramer(512), Segments.Of("NOOP\n"u8.ToArray()));
        Assert.That(lines.Single(), Is.EqualTo((LineStatus.Line, "NOOP", LineEnding.BareLf)));
    }

    [Test]
    public void Leaves_an_incomplete_line_in_the_buffer()
    {
        var buffer = Segments.Of("NOOP\r\nQU"u8.ToArray());
        var framer = new LineFramer(512);
        Assert.That(framer.TryRead(ref buffer, out _, out _), Is.EqualTo(LineStatus.Line));
        Assert.That(framer.TryRead(ref buffer, out _, out _), Is.EqualTo(LineStatus.Incomplete));
        Assert.That(Encoding.ASCII.GetString(buffer.ToArray()), Is.EqualTo("QU"));
    }

    [Test]
    public void Counts_the_terminator_in_the_limit()
    {
        var framer = new LineFramer(10);
        var fits = Segments.Of(Encoding.ASCII.GetBytes(new string('a', 8) + "\r\n"));
        Assert.That(framer.TryRead(ref fits, out _, out _), Is.EqualTo(LineStatus.Line));
        var over = Segments.Of(Encoding.ASCII.GetBytes(new string('a', 9) + "\r\n"));
        Assert.That(framer.TryRead(ref over, out _, out _), Is.EqualTo(LineStatus.TooLong));
    }

    [Test]
    public void Discards_a_megabyte_without_crlf_as_it_arrives_then_reports_it_once()
    {
        var framer = new LineFramer(512);
        for (var i = 0; i < 256; i++)
        {
            var chunk = Segments.Of(new byte[4096]);
            Assert.That(framer.TryRead(ref chunk, out _, out _), Is.EqualTo(LineStatus.Incomplete));
            Assert.That(chunk.Length, Is.Zero, "an over-long line is consumed, so memory stays bounded");
        }

        var end = Segments.Of("tail\r\nNOOP\r\n"u8.ToArray());
        var lines = ReadAll(framer, end);
        Assert.That(lines.Select(l => l.Status), Is.EqualTo(new[] { LineStatus.TooLong, LineStatus.Line }));
        Assert.That(lines[1].Line, Is.EqualTo("NOOP"));
    }
}
