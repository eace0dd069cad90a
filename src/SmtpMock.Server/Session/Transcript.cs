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
/// so a flood of commands cannot exhaust memory. Written by its session's events (it is the first observer each event
/// reaches), read by anyone.
/// <para>
/// Stored compactly: the text of the lines goes into a few byte blocks as UTF-8, half the size of UTF-16 for the
/// ASCII that SMTP mostly is (512 bytes first, doubling up to 8192), and each line is one reference-free struct
/// in chunks of 16, 32, 64, 128, then 256 lines. A record and a string per line made the kept transcripts the
/// largest cost of the garbage collector under load; blocks of bytes and of structs are never walked line by line.
/// A short session (one message) keeps about 2 KB, where UTF-16 blocks and a 256-line second chunk kept 8.
/// <see cref="Lines"/> builds the <see cref="TranscriptLine"/> records when someone asks.
/// </para>
/// </summary>
public sealed class Transcript(TimeProvider clock, int maxLines) : Events.ISessionObserver
{
    private const int FirstBlockBytes = 512;
    private const int MaxBlockBytes = 8192;
    private const int FirstEntries = 16;
    private const int EntriesPerChunk = 256;

    /// <summary>The chunks that grow (16, 32, 64, 128 lines), and the lines they hold; after them every chunk holds 256.</summary>
    private const int GrowingChunks = 4;
    private const int GrowingEntries = 240;

    private readonly Lock _gate = new();
    private readonly List<byte[]> _blocks = [];
    private List<string>? _rules;
    private readonly List<Entry[]> _entries = [];
    private int _count;
    private int _used;
    private long _dropped;
    private int _ruleReplies;

    /// <summary>The session these lines belong to.</summary>
    public long SessionId { get; init; }

    public IReadOnlyList<TranscriptLine> Lines => [.. View()];

    /// <summary>
    /// The lines kept so far as a read-only list that builds each line when it is read: what a session's record holds
    /// (lines once written never change), so ending a session copies nothing.
    /// </summary>
    internal IReadOnlyList<TranscriptLine> View()
    {
        lock (_gate)
        {
            return new TranscriptView(this, _count, _dropped);
        }
    }

    /// <summary>Replies a scenario rule wrote among the lines kept (a reply's last line, or a raw write), counted as they came.</summary>
    internal int RuleReplies
    {
        get
        {
            lock (_gate)
            {
                return _ruleReplies;
            }
        }
    }

    /// <summary>The last line of a reply (<c>250 OK</c>, not <c>250-SIZE</c>).</summary>
    internal static bool IsFinalReply(string text) => text.Length == 3 || (text.Length > 3 && text[3] == ' ');

    /// <summary>Line <paramref name="index"/> (below the count it had when a view was taken), or the note on what was left out.</summary>
    internal TranscriptLine LineAt(int index, long dropped)
    {
        lock (_gate)
        {
            if (index >= _count)
            {
                return new TranscriptLine(clock.GetUtcNow(), TranscriptDirection.Note, $"{dropped} more lines left out");
            }

            var entry = EntryAt(index);
            var text = System.Text.Encoding.UTF8.GetString(_blocks[entry.Block], entry.Start, entry.Length);
            return new TranscriptLine(new DateTimeOffset(entry.UtcTicks, TimeSpan.Zero), entry.Direction, text)
            {
                Rule = entry.Rule < 0 ? null : _rules![entry.Rule],
            };
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

    void Events.ISessionObserver.OnCommandReceived(in Events.CommandReceived e) => Add(TranscriptDirection.In, e.Shown, null, e.At);

    void Events.ISessionObserver.OnReplySent(in Events.ReplySent e)
    {
        if (e.Raw is { } raw)
        {
            Add(TranscriptDirection.Out, "(raw) " + raw, e.Rule, e.At);
            return;
        }

        var lines = e.Reply.WireLines;
        for (var i = 0; i < lines.Count; i++)
        {
            // An index, not foreach: foreach over the interface allocates an enumerator for every reply.
            Add(TranscriptDirection.Out, lines[i], e.Rule, e.At);
        }
    }

    void Events.ISessionObserver.OnNoteAdded(in Events.NoteAdded e) => Add(TranscriptDirection.Note, e.Text, null, e.At);

    internal void Add(TranscriptDirection direction, string text, string? rule = null) => Add(direction, text, rule, clock.GetUtcNow());

    private void Add(TranscriptDirection direction, string text, string? rule, DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        lock (_gate)
        {
            if (_count >= maxLines)
            {
                _dropped++;
                return;
            }

            var length = System.Text.Encoding.UTF8.GetByteCount(text);
            var block = Reserve(length);
            var start = _used - length;
            System.Text.Encoding.UTF8.GetBytes(text, _blocks[block].AsSpan(start));
            var (chunk, slot) = Locate(_count);
            if (chunk == _entries.Count)
            {
                _entries.Add(new Entry[chunk < GrowingChunks ? FirstEntries << chunk : EntriesPerChunk]);
            }

            _entries[chunk][slot] = new Entry(ticks, block, start, length, Entry.Pack(direction, RuleIndex(rule)));
            _count++;
            if (rule is not null && direction == TranscriptDirection.Out && (IsFinalReply(text) || text.StartsWith("(raw)", StringComparison.Ordinal)))
            {
                _ruleReplies++;
            }
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, Lines);

    /// <summary>
    /// Where line <paramref name="index"/> lives: chunks of 16, 32, 64 and 128 lines (chunk k starts at 16 (2^k - 1),
    /// so a short session stays small), then 256 each (no large arrays, no copies).
    /// </summary>
    internal static (int Chunk, int Slot) Locate(int index)
    {
        if (index < GrowingEntries)
        {
            var chunk = System.Numerics.BitOperations.Log2((uint)((index / FirstEntries) + 1));
            return (chunk, index - (FirstEntries * ((1 << chunk) - 1)));
        }

        return (GrowingChunks + ((index - GrowingEntries) / EntriesPerChunk), (index - GrowingEntries) % EntriesPerChunk);
    }

    private Entry EntryAt(int index)
    {
        var (chunk, slot) = Locate(index);
        return _entries[chunk][slot];
    }

    /// <summary>Room for <paramref name="length"/> bytes at the end of the last block (a new one if needed); returns its index.</summary>
    private int Reserve(int length)
    {
        if (_blocks.Count == 0 || _blocks[^1].Length - _used < length)
        {
            var size = _blocks.Count == 0 ? FirstBlockBytes : Math.Min(_blocks[^1].Length * 2, MaxBlockBytes);
            _blocks.Add(new byte[Math.Max(size, length)]);
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
