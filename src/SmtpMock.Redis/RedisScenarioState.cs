using SmtpMock.Server.Scenarios;
using StackExchange.Redis;

namespace SmtpMock.Redis;

/// <summary>
/// Scenario state in Redis, shared by every instance given the same address and namespace: <c>nth</c> per server
/// counts across them, a greylisted client's retry passes on whichever instance it lands, a reset on one is a reset for
/// all, and the scenario set on one is followed by all. One round trip per call (a script), and the engine calls only
/// for rules that need the state. While Redis cannot answer, every call throws
/// <see cref="ScenarioStateUnavailableException"/> at once (the session answers that command 451) and one line is logged
/// per outage; the client reconnects by itself. Made by <see cref="RedisBackend.ConnectAsync"/>.
/// </summary>
public sealed class RedisScenarioState : IScenarioState
{
    /// <summary>How long a counter is kept after its last increment (those of scenarios no longer active go by themselves).</summary>
    public static readonly TimeSpan CounterKept = TimeSpan.FromDays(7);

    private static readonly RedisValue CounterKeptValue = (long)CounterKept.TotalMilliseconds;

    private readonly RedisCalls _calls;
    private readonly RedisSharedScenario _scenario;
    private readonly TimeProvider _clock;
    private readonly RedisKey[] _epoch;
    private readonly string _prefix;
    private readonly Func<ValueTask> _release;

    internal RedisScenarioState(RedisCalls calls, RedisSharedScenario scenario, string prefix, TimeProvider clock, Func<ValueTask> release)
    {
        _calls = calls;
        _scenario = scenario;
        _clock = clock;
        _prefix = prefix;
        _epoch = [prefix + "epoch"];
        _release = release;
    }

    public string Description => _calls.Description;

    public event Action<SharedScenario>? ScenarioChanged
    {
        add => _scenario.Changed += value;
        remove => _scenario.Changed -= value;
    }

    public async ValueTask<long> IncrementAsync(string counter, CancellationToken cancellationToken) =>
        (long)await _calls.ScriptAsync(RedisScripts.Increment, _epoch, [_prefix, counter, CounterKeptValue], cancellationToken).ConfigureAwait(false);

    public async ValueTask<KeyHits> HitAsync(string key, TimeSpan keep, CancellationToken cancellationToken)
    {
        // PX takes whole milliseconds, at least one: a key kept for no time is new at the next hit, as in memory.
        var keepMs = Math.Max(1L, (long)Math.Ceiling(keep.TotalMilliseconds));
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var result = (RedisResult[])(await _calls.ScriptAsync(RedisScripts.Hit, _epoch, [_prefix, key, now, keepMs], cancellationToken).ConfigureAwait(false))!;
        return new KeyHits((long)result[0], DateTimeOffset.FromUnixTimeMilliseconds((long)result[1]));
    }

    /// <summary>One INCR of the epoch every key is named under: atomic and O(1), whatever the number of keys.</summary>
    public async ValueTask ResetAsync(CancellationToken cancellationToken) =>
        await _calls.RunAsync(db => db.StringIncrementAsync(_epoch[0]), cancellationToken).ConfigureAwait(false);

    public ValueTask<SharedScenario?> GetScenarioAsync(CancellationToken cancellationToken) => _scenario.GetAsync(cancellationToken);

    public ValueTask<SharedScenario> SetScenarioAsync(string? name, string? yaml, string setBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setBy);
        return _scenario.SetAsync(name, yaml, setBy, cancellationToken);
    }

    /// <summary>Stops following the shared scenario; the connection closes once the event bus sharing it is disposed too.</summary>
    public async ValueTask DisposeAsync()
    {
        await _scenario.DisposeAsync().ConfigureAwait(false);
        await _release().ConfigureAwait(false);
    }
}
