using System.Buffers;
using Microsoft.Extensions.Logging;

namespace SmtpMock.Cli.Logging;

/// <summary>
/// The server's console log: the same one-line format as Microsoft's simple console logger, written in batches.
/// Microsoft's console logger hands every line to its own thread, which wakes for it and writes it with one
/// <c>write(2)</c>: at 20,000 captured messages a second that was 10-15% of the server's CPU (docs/performance.md).
/// Here a line is formatted into a shared buffer on the caller's thread; the writer thread is woken once per batch,
/// waits <see cref="FlushInterval"/> for more lines to gather, and writes the whole batch at once. So a busy server
/// pays a wake-up and a write per batch, not per line, and a quiet one shows each line within the interval.
/// When the reader of the output falls behind by more than <see cref="MaxPendingBytes"/>, lines are counted and
/// dropped instead of holding up SMTP sessions, and the next batch says how many. Disposing writes what is left.
/// </summary>
internal sealed class BatchingConsoleLoggerProvider : ILoggerProvider
{
    /// <summary>How long the writer waits after the first line of a batch for more lines to join it.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Bytes waiting to be written beyond which new lines are dropped (and counted).</summary>
    public const int MaxPendingBytes = 4 * 1024 * 1024;

    private readonly Stream _output;
    private readonly TimeSpan _interval;
    private readonly int _maxPending;
    private readonly Lock _lock = new();
    private readonly Lock _writeLock = new();
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly Thread _writer;
    private ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private ArrayBufferWriter<byte> _writing = new(16 * 1024);
    private bool _scheduled;
    private bool _disposed;
    private long _dropped;

    /// <summary>Logs to this process's standard output, in colour when it is a terminal and NO_COLOR is not set.</summary>
    public BatchingConsoleLoggerProvider()
        : this(Console.OpenStandardOutput(), UseColors(), FlushInterval, MaxPendingBytes)
    {
    }

    /// <summary>Logs to <paramref name="output"/>: tests give their own stream, interval and bound.</summary>
    internal BatchingConsoleLoggerProvider(Stream output, bool colors, TimeSpan interval, int maxPendingBytes)
    {
        _output = output;
        Colors = colors;
        _interval = interval;
        _maxPending = maxPendingBytes;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Console log" };
        _writer.Start();
    }

    /// <summary>Whether levels are written with ANSI colours.</summary>
    public bool Colors { get; }

    /// <summary>Lines dropped so far because the output fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ILogger CreateLogger(string categoryName) => new ConsoleLineLogger(this, categoryName);

    /// <summary>Formats one line into the pending batch and wakes the writer if the batch is new.</summary>
    internal void Append(LogLevel level, ReadOnlySpan<byte> category, int eventId, string message, Exception? exception)
    {
        var now = DateTime.Now;
        var wake = false;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_pending.WrittenCount >= _maxPending)
            {
                _dropped++;
                return;
            }

            ConsoleLineFormat.Write(_pending, now, level, Colors, category, eventId, message, exception);
            if (!_scheduled)
            {
                _scheduled = true;
                wake = true;
            }
        }

        if (wake)
        {
            _wake.Set();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _wake.Set();
        _writer.Join(TimeSpan.FromSeconds(2));
        // The writer has stopped (or is stuck on a blocked output): write what is left, unless it still holds the pen.
        if (_writeLock.TryEnter())
        {
            try
            {
                WriteBatch();
            }
            finally
            {
                _writeLock.Exit();
            }
        }
    }

    private void WriteLoop()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset();
            bool stopping;
            lock (_lock)
            {
                stopping = _disposed;
            }

            if (!stopping)
            {
                // Not a race being won: the batch is given time to fill, so a busy server wakes this thread and
                // writes about 1/interval times a second instead of once per line.
                Thread.Sleep(_interval);
            }

            lock (_writeLock)
            {
                WriteBatch();
            }

            if (stopping)
            {
                return;
            }
        }
    }

    /// <summary>Swaps the batches and writes the full one; the caller holds the write lock.</summary>
    private void WriteBatch()
    {
        long dropped;
        lock (_lock)
        {
            (_pending, _writing) = (_writing, _pending);
            _scheduled = false;
            dropped = _dropped;
            _dropped = 0;
        }

        try
        {
            if (dropped > 0)
            {
                ConsoleLineFormat.Write(_writing, DateTime.Now, LogLevel.Warning, Colors, "SmtpMock.Log"u8, 0, $"{dropped} log line{(dropped == 1 ? " was" : "s were")} dropped: the console output fell behind", null);
            }

            if (_writing.WrittenCount > 0)
            {
                _output.Write(_writing.WrittenSpan);
                _output.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            // stdout is closed (the reader went away): logging must never take the server down with it.
        }
        finally
        {
            // A batch that grew large once (a burst) does not keep its memory.
            _writing = _writing.Capacity > 1024 * 1024 ? new ArrayBufferWriter<byte>(16 * 1024) : _writing;
            _writing.ResetWrittenCount();
        }
    }

    private static bool UseColors() =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
