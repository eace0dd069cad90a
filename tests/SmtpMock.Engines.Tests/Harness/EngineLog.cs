using System.Collections.Concurrent;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// What an engine wrote (stdout and stderr, marked) over all its runs, for failure messages. Bounded: a load test
/// through HAProxy logs a line per connection, and only the end of the log explains a failure.
/// </summary>
internal sealed class EngineLog
{
    private const int MaxLines = 2000;

    private readonly ConcurrentQueue<string> _lines = new();
    private int _dropped;

    public void Append(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>The whole kept log, saying how many earlier lines were dropped.</summary>
    public string Text
    {
        get
        {
            var lines = _lines.ToArray();
            var dropped = Volatile.Read(ref _dropped);
            var head = dropped > 0 ? $"({dropped} earlier lines dropped){Environment.NewLine}" : "";
            return head + string.Join(Environment.NewLine, lines);
        }
    }

    public bool Contains(string text) => _lines.Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>How many kept lines contain <paramref name="text"/>.</summary>
    public int Count(string text) => _lines.Count(line => line.Contains(text, StringComparison.Ordinal));
}
