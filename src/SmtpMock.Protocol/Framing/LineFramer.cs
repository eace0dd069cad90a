using System.Buffers;

namespace SmtpMock.Protocol.Framing;

internal enum LineStatus
{
    /// <summary>No complete line yet: read more (nothing consumed unless an over-long line is being discarded).</summary>
    Incomplete,

    /// <summary>A complete line; the buffer has been advanced past its terminator.</summary>
    Line,

    /// <summary>A line longer than the limit ended; it was discarded as it arrived, so memory stayed bounded.</summary>
    TooLong,
}

internal enum LineEnding
{
    CrLf,
    BareLf,
}

/// <summary>
/// Takes CRLF (or bare LF) terminated command lines from a buffer, with a length cap enforced before any
/// parsing (as Kestrel's <c>TakeStartLine</c>). Complete and incomplete input are kept apart: an incomplete line
/// is left in the buffer, except an over-long one, which is consumed and dropped until its end arrives.
/// </summary>
internal sealed class LineFramer(int maxLineOctets)
{
    private bool _discarding;

    /// <summary>The cap, terminator included.</summary>
    public int MaxLineOctets { get; } = maxLineOctets;

    /// <summary>True while the rest of an over-long line is being thrown away.</summary>
    public bool IsDiscarding => _discarding;

    public LineStatus TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line, out LineEnding ending)
    {
        line = default;
        ending = LineEnding.CrLf;
        var lf = buffer.PositionOf((byte)'\n');
        if (lf is null)
        {
            if (_discarding || buffer.Length > MaxLineOctets)
            {
                _discarding = true;
                buffer = buffer.Slice(buffer.End);
            }

            return LineStatus.Incomplete;
        }

        var content = buffer.Slice(0, lf.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
        if (_discarding || content.Length + 1 > MaxLineOctets)
        {
            _discarding = false;
            return LineStatus.TooLong;
        }

        if (content.Length > 0 && LastByte(content) == (byte)'\r')
        {
            line = content.Slice(0, content.Length - 1);
        }
        else
        {
            line = content;
            ending = LineEnding.BareLf;
        }

        return LineStatus.Line;
    }

    private static byte LastByte(in ReadOnlySequence<byte> sequence)
    {
        if (sequence.IsSingleSegment)
        {
            return sequence.FirstSpan[^1];
        }

        Span<byte> one = stackalloc byte[1];
        sequence.Slice(sequence.Length - 1).CopyTo(one);
        return one[0];
    }
}
