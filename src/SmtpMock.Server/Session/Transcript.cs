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

/// <summary>Receives one transcript line: which session, when, which way, the text, and the rule that wrote it (or null).</summary>
public delegate void TranscriptObserver(long session, DateTimeOffset at, TranscriptDirection direction, string text, string? rule);

/// <summary>
/// Every line in and out of one session, with its time. Bounded: past the cap one note counts what was left out,
/// so a flood of commands cannot exhaust memory. Written by the session, read by anyone.
/// <para>
/// Stored compactly: the text of the lines goes into a few character blocks (256 characters first, doubling up to
/// 4096) and each line is one reference-free struct. A record and a string per line made the kept transcripts the
/// largest cost of the garbage collector under load; blocks of characters and of structs are never walked line by
/// line. <see cref="Lines"/> builds the <see cref="TranscriptLine"/> records when someone asks.
/// </para>
/// </summary>
public sealed class Transcript(TimeProvider clock, int maxLines)
{
    private const int FirstBlockChars = 256;
    private const int MaxBlockChars = 4096;
    private const int FirstEntries = 16;
    private const int EntriesPerChunk = 256;

    private readonly Lock _gate = new();
    private readonly List<char[]> _blocks = [];
    private List<string>? _rules;
    private readonly List<Entry[]> _entries = [];
    private int _count;
    private int _used;
    private long _dropped;

    /// <summary>The session these lines belong to (what <see cref="Observer"/> is told).</summary>
    public long SessionId { get; init; }

    /// <summary>
    /// Told of every line as it is added (kept or not), outside the lock: how the control plane streams events and
    /// counts metrics without polling. Null costs nothing.
    /// </summary>
    public TranscriptObserver? Observer { get; init; }

    public IReadOnlyList<TranscriptLine> Lines
    {
        get
        {
            lock (_gate)
            {
                var lines = new List<TranscriptLine>(_count + 1);
                for (var i = 0; i < _count; i++)
                {
                    var entry = EntryAt(i);
                    var text = new string(_blocks[entry.Block], entry.Start, entry.Length);
                    lines.Add(new TranscriptLine(new DateTimeOffset(entry.UtcTicks, TimeSpan.Zero), entry.Direction, text)
                    {
                        Rule = entry.Rule < 0 ? null : _rules![entry.Rule],
                    });
                }

                if (_dropped > 0)
                {
                    lines.Add(new TranscriptLine(clock.GetUtcNow(), TranscriptDirection.Note, $"{_dropped} more lines left out"));
                }

                return lines;
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
                return _count;
            }
        }
    }

    public void Add(TranscriptDirection direction, string text, string? rule = null)
    {
        var ticks = clock.GetUtcNow().UtcTicks;
        Observer?.Invoke(SessionId, new DateTimeOffset(ticks, TimeSpan.Zero), direction, text, rule);
        lock (_gate)
        {
            if (_count >= maxLines)
            {
                _dropped++;
                return;
            }

            var block = Reserve(text.Length);
            var start = _used - text.Length;
            text.CopyTo(_blocks[block].AsSpan(start));
            var (chunk, slot) = Locate(_count);
            if (chunk == _entries.Count)
            {
                _entries.Add(new Entry[chunk == 0 ? FirstEntries : EntriesPerChunk]);
            }

            _entries[chunk][slot] = new Entry(ticks, block, start, text.Length, Entry.Pack(direction, RuleIndex(rule)));
            _count++;
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, Lines);

    /// <summary>Where line <paramref name="index"/> lives: a small first chunk (an idle session stays small), then fixed ones (no large arrays, no copies).</summary>
    private static (int Chunk, int Slot) Locate(int index) =>
        index < FirstEntries ? (0, index) : (1 + ((index - FirstEntries) / EntriesPerChunk), (index - FirstEntries) % EntriesPerChunk);

    private Entry EntryAt(int index)
    {
        var (chunk, slot) = Locate(index);
        return _entries[chunk][slot];
    }

    /// <summary>Room for <paramref name="length"/> characters at the end of the last block (a new one if needed); returns its index.</summary>
    private int Reserve(int length)
    {
        if (_blocks.Count == 0 || _blocks[^1].Length - _used < length)
        {
            var size = _blocks.Count == 0 ? FirstBlockChars : Math.Min(_blocks[^1].Length * 2, MaxBlockChars);
            _blocks.Add(new char[Math.Max(size, length)]);
            _used = 0;
        }

        _used += length;
        return _blocks.Count - 1;
    }

    private int RuleIndex(string? rule)
    {
        if (rule is null)
        {
            return -1;
        }

        // A session meets the few rules of its scenario.
        _rules ??= [];
        for (var i = 0; i < _rules.Count; i++)
        {
            if (string.Equals(_rules[i], rule, StringComparison.Ordinal))
            {
                return i;
            }
        }

        _rules.Add(rule);
        return _rules.Count - 1;
    }

    /// <summary>One line: 24 bytes, the direction and the rule's index share one field (an idle session keeps 16 of these).</summary>
    private readonly record struct Entry(long UtcTicks, int Block, int Start, int Length, int DirectionAndRule)
    {
        public TranscriptDirection Direction => (TranscriptDirection)(DirectionAndRule & 3);

        /// <summary>The index in the session's rule names, or -1.</summary>
        public int Rule => (DirectionAndRule >> 2) - 1;

        public static int Pack(TranscriptDirection direction, int rule) => ((rule + 1) << 2) | (int)direction;
    }
}
