namespace SmtpMock.Server.Webhooks;

/// <summary>
/// Counts the events a full queue dropped, so the log says it once per burst with the number, not once per event.
/// A burst ends when the queue has room again (<see cref="End"/>); one that goes on for <see cref="Interval"/> is
/// reported and counted afresh, so a long outage still shows up while it lasts.
/// </summary>
internal sealed class DropBurst(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private long _count;
    private long _startedAt;

    /// <summary>One more dropped: the burst's count when it is time to report it now, else 0.</summary>
    public long Add()
    {
        lock (_gate)
        {
            if (_count++ == 0)
            {
                _startedAt = time.GetTimestamp();
                return 0;
            }

            if (time.GetElapsedTime(_startedAt) < Interval)
            {
                return 0;
            }

            var count = _count;
            _count = 0;
            return count;
        }
    }

    /// <summary>The queue has room: the burst's count to report, or 0 when nothing was dropped since the last report.</summary>
    public long End()
    {
        if (Interlocked.Read(ref _count) == 0)
        {
            return 0;
        }

        lock (_gate)
        {
            var count = _count;
            _count = 0;
            return count;
        }
    }
}
