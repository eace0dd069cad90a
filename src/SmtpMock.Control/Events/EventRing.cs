using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace SmtpMock.Control.Events;

/// <summary>
/// The last <c>capacity</c> event frames, shared by every reader: publishing one costs the same for any number of
/// readers (a slot and a counter under a lock), where a channel per reader cost an enqueue each. Each reader keeps
/// its own position; a reader that falls a whole ring behind has lost events and is dropped, found by the reader
/// itself when it next reads or by the publisher's sweep every <see cref="SweepEvery"/> frames (a reader stuck writing
/// to a client that stopped reading never reads again). Readers waiting for the next frame share one signal.
/// </summary>
internal sealed class EventRing
{
    private readonly ReadOnlyMemory<byte>[] _frames;
    private readonly Lock _gate = new();
    private long _next;
    private TaskCompletionSource? _published;

    public EventRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _frames = new ReadOnlyMemory<byte>[capacity];
        SweepEvery = Math.Min(64, capacity);
    }

    public int Capacity => _frames.Length;

    /// <summary>How often (in frames) the publisher looks for readers a whole ring behind.</summary>
    public int SweepEvery { get; }

    /// <summary>The position the next frame will take: a new reader starts here.</summary>
    public long Next => Volatile.Read(ref _next);

    /// <summary>Adds a frame; true when it is time to sweep for readers a whole ring behind.</summary>
    public bool Publish(ReadOnlyMemory<byte> frame)
    {
        TaskCompletionSource? wake;
        long position;
        lock (_gate)
        {
            position = _next;
            _frames[position % _frames.Length] = frame;
            Volatile.Write(ref _next, position + 1);
            wake = _published;
            _published = null;
        }

        wake?.TrySetResult();
        return (position + 1) % SweepEvery == 0;
    }

    /// <summary>Wakes every waiting reader (one was dropped, or the ring closes), so each looks at its own state.</summary>
    public void WakeAll()
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            wake = _published;
            _published = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>The frame at <paramref name="position"/> if it is published and not yet overwritten.</summary>
    public ReadResult TryGet(long position, out ReadOnlyMemory<byte> frame)
    {
        lock (_gate)
        {
            if (position >= _next)
            {
                frame = default;
                return ReadResult.NotYet;
            }

            if (position < _next - _frames.Length)
            {
                frame = default;
                return ReadResult.Lapped;
            }

            frame = _frames[position % _frames.Length];
            return ReadResult.Read;
        }
    }

    /// <summary>Done when a frame past <paramref name="position"/> exists, or at the next wake.</summary>
    public Task WhenPublishedAfter(long position)
    {
        lock (_gate)
        {
            if (position < _next)
            {
                return Task.CompletedTask;
            }

            _published ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _published.Task;
        }
    }

    /// <summary>True when <paramref name="position"/> has been overwritten: that reader lost events.</summary>
    public bool IsLapped(long position) => position < Next - _frames.Length;

    internal enum ReadResult
    {
        Read,
        NotYet,
        Lapped,
    }
}

/// <summary>
/// One reader's view of an <see cref="EventRing"/>, as a <see cref="ChannelReader{T}"/>: frames from where it joined,
/// in order, until it leaves (completed) or falls a whole ring behind (completed with a
/// <see cref="ChannelClosedException"/> saying so: what it had not read is gone).
/// </summary>
internal sealed class EventRingReader(EventRing ring) : ChannelReader<ReadOnlyMemory<byte>>
{
    private long _position = ring.Next;
    private volatile Exception? _failure;
    private volatile bool _completed;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where this reader is (the next frame it will read).</summary>
    public long Position => Volatile.Read(ref _position);

    public override Task Completion => _done.Task;

    /// <summary>Ended because it fell a whole ring behind.</summary>
    public bool Dropped => _completed && _failure is not null;

    /// <summary>Ends this reader: normally (<paramref name="failure"/> null: it left) or because it fell behind.</summary>
    public bool TryComplete(Exception? failure = null)
    {
        if (_completed)
        {
            return false;
        }

        _failure = failure;
        _completed = true;
        if (failure is null)
        {
            _done.TrySetResult();
        }
        else
        {
            _done.TrySetException(failure);
            _ = _done.Task.Exception; // observed: WaitToReadAsync throws it to the reader
        }

        ring.WakeAll();
        return true;
    }

    public override bool TryRead([MaybeNullWhen(false)] out ReadOnlyMemory<byte> item)
    {
        if (!_completed)
        {
            switch (ring.TryGet(_position, out item))
            {
                case EventRing.ReadResult.Read:
                    Volatile.Write(ref _position, _position + 1);
                    return true;
                case EventRing.ReadResult.Lapped:
                    TryComplete(Behind());
                    break;
            }
        }

        item = default;
        return false;
    }

    public override async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_completed)
            {
                return _failure is { } failure ? throw failure : false;
            }

            if (ring.IsLapped(_position))
            {
                TryComplete(Behind());
                continue;
            }

            var published = ring.WhenPublishedAfter(_position);
            if (published.IsCompleted)
            {
                return true;
            }

            await published.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static ChannelClosedException Behind() => new("the events reader fell behind and was dropped");
}
