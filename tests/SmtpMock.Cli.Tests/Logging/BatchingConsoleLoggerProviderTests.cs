using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SmtpMock.Cli.Logging;

namespace SmtpMock.Cli.Tests.Logging;

public sealed partial class BatchingConsoleLoggerProviderTests
{
    [Test]
    public void A_burst_of_lines_is_written_in_a_few_writes_in_the_simple_console_format()
    {
        var output = new RecordingStream();
        using (var provider = new BatchingConsoleLoggerProvider(output, colors: false, TimeSpan.FromMilliseconds(50), 1 << 20))
        {
            var logger = provider.CreateLogger("SmtpMock.Session");
            for (var i = 0; i < 200; i++)
            {
                logger.Log(LogLevel.Information, new EventId(6), "message {0}", i);
            }
        }

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(200));
        Assert.That(lines[0], Does.Match(@"^\d\d:\d\d:\d\d\.\d\d\d info: SmtpMock\.Session\[6\] message 0$"));
        Assert.That(lines[199], Does.EndWith("] message 199"));
        // Microsoft's console logger writes once per line; here a burst shares a write (a stall may split it).
        Assert.That(output.Writes, Is.LessThanOrEqualTo(10));
    }

    [Test]
    public void A_line_reaches_the_output_without_waiting_for_dispose()
    {
        var output = new RecordingStream();
        using var provider = new BatchingConsoleLoggerProvider(output, colors: false, TimeSpan.FromMilliseconds(10), 1 << 20);
        provider.CreateLogger("SmtpMock.Server").LogWarning("the only line");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!output.Text.Contains("warn: SmtpMock.Server[0] the only line\n", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            output.WaitForWrite(TimeSpan.FromMilliseconds(100));
        }

        Assert.That(output.Text, Does.Contain("warn: SmtpMock.Server[0] the only line\n"));
    }

    [Test]
    public void Line_breaks_in_a_message_or_an_exception_become_spaces_so_one_event_stays_one_line()
    {
        var output = new RecordingStream();
        using (var provider = new BatchingConsoleLoggerProvider(output, colors: false, TimeSpan.FromMilliseconds(10), 1 << 20))
        {
            var failure = new InvalidOperationException("first\nsecond");
            provider.CreateLogger("SmtpMock.Server").LogError(failure, "Session {Session} failed\r\nbadly", 7);
        }

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain("fail: SmtpMock.Server[0] Session 7 failed badly System.InvalidOperationException: first second"));
    }

    [Test]
    public void Colours_wrap_only_the_level_when_asked_for()
    {
        var output = new RecordingStream();
        using (var provider = new BatchingConsoleLoggerProvider(output, colors: true, TimeSpan.FromMilliseconds(10), 1 << 20))
        {
            provider.CreateLogger("X").LogInformation("coloured");
        }

        Assert.That(output.Text, Does.Contain("\u001b[32m\u001b[40minfo\u001b[39m\u001b[22m\u001b[49m: X[0] coloured\n"));
    }

    [Test]
    public void When_the_output_falls_behind_lines_are_dropped_counted_and_reported_never_blocking_the_caller()
    {
        var output = new RecordingStream { Blocked = true };
        using (var provider = new BatchingConsoleLoggerProvider(output, colors: false, TimeSpan.FromMilliseconds(1), maxPendingBytes: 200))
        {
            var logger = provider.CreateLogger("SmtpMock.Session");
            logger.LogInformation("line 0");
            Assert.That(output.WaitUntilBlocked(TimeSpan.FromSeconds(10)), Is.True, "the writer took the first batch and is stuck writing it");
            for (var i = 1; i <= 10; i++)
            {
                logger.LogInformation("line {N}", i);
            }

            Assert.That(provider.Dropped, Is.GreaterThan(0));
            output.Release();
        }

        var text = output.Text;
        var dropped = int.Parse(DroppedNote().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var kept = text.Split('\n').Count(l => LineNote().IsMatch(l));
        Assert.That(kept + dropped, Is.EqualTo(11), text);
        Assert.That(text, Does.Contain("warn: SmtpMock.Log[0] "));
    }

    [Test]
    public void A_closed_output_never_throws_into_the_logging_caller()
    {
        var output = new RecordingStream { Fails = true };
        var provider = new BatchingConsoleLoggerProvider(output, colors: false, TimeSpan.FromMilliseconds(1), 1 << 20);
        var logger = provider.CreateLogger("X");
        Assert.DoesNotThrow(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                logger.LogInformation("into the void {N}", i);
            }

            provider.Dispose();
        });
        Assert.That(output.Text, Is.Empty);
    }

    [GeneratedRegex(@"(\d+) log lines? (was|were) dropped")]
    private static partial Regex DroppedNote();

    [GeneratedRegex(@"\] line \d+$")]
    private static partial Regex LineNote();

    /// <summary>A stream that records what is written and how often, and can block or fail a write.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly Lock _lock = new();
        private readonly MemoryStream _bytes = new();
        private readonly ManualResetEventSlim _release = new(false);
        private readonly ManualResetEventSlim _blocked = new(false);
        private readonly SemaphoreSlim _written = new(0);
        private int _writes;

        public bool Blocked { get; init; }

        public bool Fails { get; init; }

        public int Writes => Volatile.Read(ref _writes);

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return Encoding.UTF8.GetString(_bytes.ToArray());
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool WaitUntilBlocked(TimeSpan timeout) => _blocked.Wait(timeout);

        public void WaitForWrite(TimeSpan timeout) => _written.Wait(timeout);

        public void Release() => _release.Set();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Fails)
            {
                throw new IOException("Broken pipe");
            }

            if (Blocked && !_release.IsSet)
            {
                _blocked.Set();
                _release.Wait(TimeSpan.FromSeconds(30));
            }

            lock (_lock)
            {
                _bytes.Write(buffer);
            }

            Interlocked.Increment(ref _writes);
            _written.Release();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _release.Dispose();
                _blocked.Dispose();
                _written.Dispose();
                _bytes.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
