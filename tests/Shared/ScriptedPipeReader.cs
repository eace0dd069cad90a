using System.Buffers;
using System.IO.Pipelines;

namespace SmtpMock.Tests.Shared;

/// <summary>
/// A PipeReader that hands the session its input in fixed chunks, one new chunk per read once everything so far
/// was examined: the same dialog can be fed whole, line by line or one byte at a time, deterministically, and
/// each chunk is its own buffer segment. After the last chunk it either reports the client gone or, with
/// <c>hangAtEnd</c>, waits like an idle client until the read is cancelled. Shared by the server tests and the fuzz
/// targets (linked into both), so the fuzzer explores exactly the segment boundaries the tests prove harmless.
/// </summary>
internal sealed class ScriptedPipeReader : PipeReader
{
    private readonly ChainedSegment? _first;
    private readonly List<ChainedSegment> _segments = [];
    private readonly bool _hangAtEnd;
    private int _delivered;
    private SequencePosition _consumed;
    private SequencePosition _examined;
    private bool _cancelNext;

    private readonly TaskCompletionSource? _hanging;

    public ScriptedPipeReader(IEnumerable<byte[]> chunks, bool hangAtEnd = false, TaskCompletionSource? hanging = null)
    {
        _hangAtEnd = hangAtEnd;
        _hanging = hanging;
        ChainedSegment? last = null;
        foreach (var chunk in chunks.Where(c => c.Length > 0))
        {
            last = last is null ? new ChainedSegment(chunk, 0) : last.Append(chunk);
            _first ??= last;
            _segments.Add(last);
        }

        if (_first is not null)
        {
            _consumed = new SequencePosition(_first, 0);
            _examined = _consumed;
        }
    }

    public int ReadCount { get; private set; }

    /// <summary>
    /// The chunks not handed out yet: what the client sent in later reads than the session has taken. The fuzzer's
    /// STARTTLS upgrade goes on with them (what came in the same read as STARTTLS is dropped, as on a real socket).
    /// </summary>
    public IReadOnlyList<byte[]> Undelivered => [.. _segments.Skip(_delivered).Select(s => s.Memory.ToArray())];

    /// <summary>A reader that hands out <paramref name="data"/> <paramref name="size"/> bytes per read.</summary>
    public static ScriptedPipeReader InChunksOf(byte[] data, int size) =>
        new(data.Chunk(Math.Max(1, size)));

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _consumed = consumed;
        _examined = examined;
    }

    public override void CancelPendingRead() => _cancelNext = true;

    public override void Complete(Exception? exception = null)
    {
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ReadCount++;
        if (_cancelNext)
        {
            _cancelNext = false;
            return new ReadResult(Current(), isCanceled: true, isCompleted: false);
        }

        var allExamined = _delivered == 0 || IsEnd(_examined);
        if (allExamined && _delivered < _segments.Count)
        {
            _delivered++;
        }
        else if (allExamined && _hangAtEnd)
        {
            _hanging?.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        return new ReadResult(Current(), isCanceled: false, isCompleted: _delivered == _segments.Count && !_hangAtEnd);
    }

    public override bool TryRead(out ReadResult result)
    {
        result = new ReadResult(Current(), false, _delivered == _segments.Count && !_hangAtEnd);
        return _delivered > 0;
    }

    private ReadOnlySequence<byte> Current()
    {
        if (_delivered == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var end = _segments[_delivered - 1];
        return new ReadOnlySequence<byte>((ChainedSegment)_consumed.GetObject()!, _consumed.GetInteger(), end, end.Memory.Length);
    }

    private bool IsEnd(SequencePosition position)
    {
        var end = _segments[_delivered - 1];
        var segment = (ChainedSegment?)position.GetObject();
        return segment is null
            || (segment == end && position.GetInteger() == end.Memory.Length)
            || (segment.RunningIndex + position.GetInteger() == end.RunningIndex + end.Memory.Length);
    }
}
