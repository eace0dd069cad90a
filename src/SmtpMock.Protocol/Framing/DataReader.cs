using System.Buffers;

namespace SmtpMock.Protocol.Framing;

/// <summary>
/// Reads DATA content: removes the transparency dot (RFC 5321 §4.5.2), ends only on <c>CRLF.CRLF</c> (so no
/// smuggling variant such as <c>LF.LF</c> or <c>CR.CR</c> ends or splits a message), counts the size and the
/// longest line, and keeps going to the real end when a limit is passed so the next command is framed right.
/// All input is consumed as it arrives: memory is bounded by what the output keeps.
/// </summary>
internal sealed class DataReader(long maxMessageOctets, int maxLineOctets, BareLineEndingPolicy bareLineEndings)
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();
    private static readonly byte[] Cr = "\r"u8.ToArray();
    private static readonly byte[] Lf = "\n"u8.ToArray();

    private State _state = State.LineStart;
    private long _lineOctets;
    private IBufferWriter<byte>? _output;

    private enum State
    {
        LineStart,
        Mid,
        Dot,
        DotCr,
        Cr,

        /// <summary>Just after a bare LF (a line start for a person typing, not for SMTP).</summary>
        AfterLf,

        /// <summary>A bare LF, then a dot.</summary>
        AfterLfDot,
    }

    /// <summary>Octets of content after dot removal (and normalisation), counted even past the limit.</summary>
    public long Size { get; private set; }

    public bool SizeExceeded => Size > maxMessageOctets;

    public bool LineTooLong { get; private set; }

    /// <summary>How many bare CRs and bare LFs the content had.</summary>
    public int BareLineEndings { get; private set; }

    public BareLineEndingPolicy Policy => bareLineEndings;

    /// <summary>
    /// How many lines held a lone dot ended by a bare LF (what telnet or <c>nc</c> without <c>-C</c> send to end a
    /// message): they never end it, so the sender waits; the count lets the session say why.
    /// </summary>
    public int BareLfDotLines { get; private set; }

    /// <summary>Starts a new message.</summary>
    public void Reset()
    {
        _state = State.LineStart;
        _lineOctets = 0;
        Size = 0;
        LineTooLong = false;
        BareLineEndings = 0;
        BareLfDotLines = 0;
    }

    /// <param name="buffer">Input; advanced past what was taken.</param>
    /// <param name="output">Where content goes while the message is within the size limit; null to discard.</param>
    public DataStatus Read(ref ReadOnlySequence<byte> buffer, IBufferWriter<byte>? output)
    {
        _output = output;
        long taken = 0;
        foreach (var memory in buffer)
        {
            var span = memory.Span;
            var i = Step(span, out var complete);
            taken += i;
            if (complete)
            {
                buffer = buffer.Slice(taken);
                _output = null;
                return DataStatus.Complete;
            }
        }

        buffer = buffer.Slice(buffer.End);
        _output = null;
        return DataStatus.NeedMore;
    }

    private int Step(ReadOnlySpan<byte> span, out bool complete)
    {
        complete = false;
        var i = 0;
        while (i < span.Length)
        {
            switch (_state)
            {
                case State.Mid:
                    i = CopyLines(span, i);
                    if (_state != State.Mid || i == span.Length)
                    {
                        break;
                    }

                    // A CR or LF the run stopped at: a CR ending the span, a bare CR or a bare LF.
                    if (span[i] == '\r')
                    {
                        _state = State.Cr;
                    }
                    else
                    {
                        BareEnding(Lf);
                        _state = State.AfterLf;
                    }

                    i++;
                    break;

                case State.AfterLf:
                    // The dot is content here (only CRLF starts an SMTP line); it is watched only to explain a wait.
                    if (span[i] == '.')
                    {
                        Emit("."u8);
                        _lineOctets = 1;
                        _state = State.AfterLfDot;
                        i++;
                    }
                    else
                    {
                        _state = State.Mid;
                    }

                    break;

                case State.AfterLfDot:
                    if (span[i] == '\n')
                    {
                        BareLfDotLines++;
                    }

                    _state = State.Mid;
                    break;

                case State.LineStart:
                    if (span[i] == '.')
                    {
                        _state = State.Dot;
                        _lineOctets = 1;
                        i++;
                    }
                    else
                    {
                        _state = State.Mid;
                    }

                    break;

                case State.Dot:
                    // A leading dot followed by anything but CRLF is the transparency dot: drop it.
                    if (span[i] == '\r')
                    {
                        _state = State.DotCr;
                        i++;
                    }
                    else
                    {
                        BareLfDotLines += span[i] == '\n' ? 1 : 0;
                        _state = State.Mid;
                    }

                    break;

                case State.DotCr:
                    if (span[i] == '\n')
                    {
                        complete = true;
                        return i + 1;
                    }

                    BareEnding(Cr);
                    _state = State.Mid;
                    break;

                case State.Cr:
                    if (span[i] == '\n')
                    {
                        _lineOctets += 2;
                        if (_lineOctets > maxLineOctets)
                        {
                            LineTooLong = true;
                        }

                        Emit(CrLf);
                        _lineOctets = 0;
                        _state = State.LineStart;
                        i++;
                    }
                    else
                    {
                        BareEnding(Cr);
                        _state = State.Mid;
                    }

                    break;
            }
        }

        if (_lineOctets > maxLineOctets)
        {
            LineTooLong = true;
        }

        return i;
    }

    /// <summary>
    /// The common case, fast: from inside a line, takes whole CRLF-ended lines whose successor does not start with a
    /// dot, and emits them as one run instead of line by line. Stops before anything the state machine must see (a
    /// line starting with a dot, a bare CR or LF, a CR at the end of the span) or at the end of the span; returns
    /// where it stopped, with the state <see cref="State.LineStart"/> after a CRLF, else still <see cref="State.Mid"/>.
    /// </summary>
    private int CopyLines(ReadOnlySpan<byte> span, int i)
    {
        var start = i;
        while (true)
        {
            var run = span[i..].IndexOfAny((byte)'\r', (byte)'\n');
            if (run < 0)
            {
                _lineOctets += span.Length - i;
                Emit(span[start..]);
                return span.Length;
            }

            var end = i + run;
            _lineOctets += run;
            if (span[end] != '\r' || end + 1 == span.Length || span[end + 1] != '\n')
            {
                Emit(span[start..end]);
                return end;
            }

            _lineOctets += 2;
            if (_lineOctets > maxLineOctets)
            {
                LineTooLong = true;
            }

            _lineOctets = 0;
            i = end + 2;
            if (i == span.Length || span[i] == '.')
            {
                Emit(span[start..i]);
                _state = State.LineStart;
                return i;
            }
        }
    }

    private void BareEnding(byte[] original)
    {
        // The line it ends is measured here, not only at the end of a segment: the flag must not depend on where
        // the segments happen to split the content.
        if (_lineOctets > maxLineOctets)
        {
            LineTooLong = true;
        }

        BareLineEndings++;
        Emit(bareLineEndings == BareLineEndingPolicy.Normalize ? CrLf : original);
        _lineOctets = 0;
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        // Up to the limit exactly, wherever runs and segments split the content; past it, only counted.
        var room = maxMessageOctets - Size;
        Size += bytes.Length;
        if (_output is not null && room > 0)
        {
            _output.Write(room >= bytes.Length ? bytes : bytes[..(int)room]);
        }
    }
}
