namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Scenario state in this process: counters and keys in one table, bounded. A key is forgotten once its time is up; past
/// <see cref="MaxKeys"/> the older half is forgotten (a client inventing a new recipient per RCPT cannot grow the server
/// without bound). Every call completes at once.
/// </summary>
public sealed class MemoryScenarioState(TimeProvider clock) : IScenarioState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _keys = new(StringComparer.Ordinal);

    public MemoryScenarioState()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Keys (and counters) remembered at most; past it the older half goes.</summary>
    public int MaxKeys { get; init; } = 100_000;

    public string Description => "memory";

    private SharedScenario? _scenario;

    public event Action<SharedScenario>? ScenarioChanged;

    public ValueTask<SharedScenario?> GetScenarioAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Volatile.Read(ref _scenario));

    public ValueTask<SharedScenario> SetScenarioAsync(string? name, string? yaml, string setBy, CancellationToken cancellationToken)
    {
        SharedScenario set;
        lock (_gate)
        {
            set = new SharedScenario(name, yaml, setBy, (_scenario?.Version ?? 0) + 1);
            _scenario = set;
        }

        ScenarioChanged?.Invoke(set);
        return ValueTask.FromResult(set);
    }

    /// <summary>How many keys and counters are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count + _counters.Count;
            }
        }
    }

    public ValueTask<long> IncrementAsync(string counter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_counters.TryGetValue(counter, out var count) && _counters.Count >= MaxKeys)
            {
                // Counters carry no time: the ones of scenarios no longer active are the bulk; start them again.
                _counters.Clear();
            }

            _counters[counter] = ++count;
            return ValueTask.FromResult(count);
        }
    }

    public ValueTask<KeyHits> HitAsync(string key, TimeSpan keep, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (!_keys.TryGetValue(key, out var entry) || entry.Expires <= now)
            {
                if (_keys.Count >= MaxKeys)
                {
                    Evict(now);
                }

                entry = new Entry(now, now + keep, 0);
            }

            entry = entry with { Count = entry.Count + 1 };
            _keys[key] = entry;
            return ValueTask.FromResult(new KeyHits(entry.Count, entry.FirstSeen));
        }
    }

    public ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _counters.Clear();
            _keys.Clear();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>One eviction policy: what has expired, then the older half by first-seen time.</summary>
    private void Evict(DateTimeOffset now)
    {
        foreach (var expired in _keys.Where(k => k.Value.Expires <= now).Select(k => k.Key).ToList())
        {
            _keys.Remove(expired);
        }

        if (_keys.Count >= MaxKeys)
        {
            foreach (var old in _keys.OrderBy(k => k.Value.FirstSeen).Take(_keys.Count / 2).Select(k => k.Key).ToList())
            {
                _keys.Remove(old);
            }
        }
    }

    private readonly record struct Entry(DateTimeOffset FirstSeen, DateTimeOffset Expires, long Count);
}
