namespace SmtpMock.Server.History;

/// <summary>
/// Finished sessions in this process's memory, within a count and a total line budget (the oldest go first): the
/// default archive, and what a lone process's API serves.
/// </summary>
public sealed class MemorySessionArchive(int maxSessions, int maxLines) : ISessionArchive
{
    private readonly Queue<SessionRecord> _kept = new();
    private readonly Lock _gate = new();
    private long _lines;
    private long _nextId;

    public string Description => "memory";

    public event Action<SessionRecord>? Saved;

    public ValueTask<long> ReserveIdsAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return ValueTask.FromResult(Interlocked.Add(ref _nextId, count) - count + 1);
    }

    public ValueTask SaveAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (maxSessions > 0)
        {
            lock (_gate)
            {
                _kept.Enqueue(session);
                _lines += session.LineCount;
                while (_kept.Count > 1 && (_kept.Count > maxSessions || _lines > maxLines))
                {
                    _lines -= _kept.Dequeue().LineCount;
                }
            }
        }

        Saved?.Invoke(session);
        return ValueTask.CompletedTask;
    }

    public ValueTask<SessionRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_kept.LastOrDefault(s => s.Id == id));
        }
    }

    public ValueTask<IReadOnlyList<SessionRecord>> ListAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        SessionRecord[] all;
        lock (_gate)
        {
            all = [.. _kept];
        }

        IEnumerable<SessionRecord> found = all.Reverse();
        if (query.Since is { } since)
        {
            found = found.Where(s => s.StartedAt >= since);
        }

        if (query.HeloContains is { } helo)
        {
            found = found.Where(s => s.HeloName?.Contains(helo, StringComparison.OrdinalIgnoreCase) == true);
        }

        if (query.Limit is { } limit)
        {
            found = found.Take(limit);
        }

        return ValueTask.FromResult<IReadOnlyList<SessionRecord>>(query.WithLines ? [.. found] : [.. found.Select(s => s with { Lines = [] })]);
    }

    public ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _kept.Clear();
            _lines = 0;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
