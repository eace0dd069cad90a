namespace SmtpMock.Server.Session;

public enum TranscriptDirection
{
    /// <summary>A line the client sent.</summary>
    In,

    /// <summary>A reply line the server sent.</summary>
    Out,

    /// <summary>Something the server noted: a DATA summary, a timeout, a disconnect.</summary>
    Note,
}

public sealed record TranscriptLine(DateTimeOffset At, TranscriptDirection Direction, string Text)
{
    /// <summary>The scenario rule that wrote this reply line, if one did.</summary>
    public string? Rule { get; init; }

    public override string ToString() => Direction switch
    {
        TranscriptDirection.In => $"{At:HH:mm:ss.fff} C: {Text}",
        TranscriptDirection.Out => Rule is null ? $"{At:HH:mm:ss.fff} S: {Text}" : $"{At:HH:mm:ss.fff} S: {Text}    [rule {Rule}]",
        _ => $"{At:HH:mm:ss.fff} -- {Text}",
    };
}

/// <summary>
/// Every line in and out of one session, with its time. Bounded: past the cap one note counts what was left out,
/// so a flood of commands cannot exhaust memory. Written by the session, read by anyone.
/// </summary>
public sealed class Transcript(TimeProvider clock, int maxLines)
{
    private readonly Lock _gate = new();
    private readonly List<TranscriptLine> _lines = [];
    private long _dropped;

    public IReadOnlyList<TranscriptLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return _dropped == 0 ? [.. _lines] : [.. _lines, new TranscriptLine(clock.GetUtcNow(), TranscriptDirection.Note, $"{_dropped} more lines left out")];
            }
        }
    }

    /// <summary>Lines kept (what counts towards the server's transcript budget).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    public void Add(TranscriptDirection direction, string text, string? rule = null)
    {
        var line = new TranscriptLine(clock.GetUtcNow(), direction, text) { Rule = rule };
        lock (_gate)
        {
            if (_lines.Count < maxLines)
            {
                _lines.Add(line);
            }
            else
            {
                _dropped++;
            }
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, Lines);
}
