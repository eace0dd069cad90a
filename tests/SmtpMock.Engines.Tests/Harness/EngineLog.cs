namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// What an engine wrote (stdout and stderr, marked) over all its runs. Searches see every line up to a large bound (a
/// load test through HAProxy logs a line per message, and the one outage line must not scroll away before it is
/// counted); failure messages show only the end, which is what explains a failure.
/// </summary>
internal sealed class EngineLog
{
    /// <summary>Lines kept for searching: a 10,000-message load on one replica writes about 10,000.</summary>
    private const int MaxLines = 200_000;

    /// <summary>Lines shown in a failure message.</summary>
    private const int ShownLines = 2000;

    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private int _dropped;

    public void Append(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == MaxLines)
            {
                _lines.RemoveRange(0, MaxLines / 10);
                _dropped += MaxLines / 10;
            }

            _lines.Add(line);
        }
    }

    /// <summary>The end of the log, saying how many earlier lines are not shown.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                var shown = Math.Min(ShownLines, _lines.Count);
                var hidden = _dropped + _lines.Count - shown;
                var head = hidden > 0 ? $"({hidden} earlier lines not shown){Environment.NewLine}" : "";
                return head + string.Join(Environment.NewLine, _lines.Skip(_lines.Count - shown));
            }
        }
    }

    public bool Contains(string text)
    {
        lock (_gate)
        {
            return _lines.Exists(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>How many kept lines contain <paramref name="text"/>.</summary>
    public int Count(string text)
    {
        lock (_gate)
        {
            return _lines.Count(line => line.Contains(text, StringComparison.Ordinal));
        }
    }
}
