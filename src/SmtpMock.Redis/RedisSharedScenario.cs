using Microsoft.Extensions.Logging;
using SmtpMock.Server.Scenarios;
using StackExchange.Redis;

namespace SmtpMock.Redis;

/// <summary>
/// The scenario every instance follows, in one hash (<c>NS:scenario</c>: name, yaml, version, setBy, setAt). A change
/// is written and announced on the channel <c>NS:scenario</c> in one script; every instance then reads the hash again
/// and raises <see cref="Changed"/> for a version newer than the last it raised, and reads it again after a reconnect
/// (an announcement sent while it was cut off is lost). Redis without persistence forgets the hash when it restarts:
/// the versions then start again from 1, and an instance that sees an older version after a reconnect accepts the
/// newer ones from there on.
/// </summary>
internal sealed partial class RedisSharedScenario : IAsyncDisposable
{
    private readonly RedisCalls _calls;
    private readonly RedisKey _hash;
    private readonly string _channel;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private long _raised;
    private ChannelMessageQueue? _queue;

    public RedisSharedScenario(RedisCalls calls, string prefix, TimeProvider clock, ILogger logger)
    {
        _calls = calls;
        _hash = prefix + "scenario";
        _channel = prefix + "scenario";
        _clock = clock;
        _logger = logger;
    }

    public event Action<SharedScenario>? Changed;

    /// <summary>Subscribes, then takes the current version as already seen (the caller reads it to start with).</summary>
    public async Task StartAsync(ISubscriber subscriber, CancellationToken cancellationToken)
    {
        _queue = await subscriber.SubscribeAsync(RedisChannel.Literal(_channel)).WaitAsync(cancellationToken).ConfigureAwait(false);
        _queue.OnMessage(_ => RefreshAsync(reconnected: false));
        _raised = (await GetAsync(cancellationToken).ConfigureAwait(false))?.Version ?? 0;
    }

    public async ValueTask<SharedScenario?> GetAsync(CancellationToken cancellationToken)
    {
        var fields = await _calls.RunAsync(db => db.HashGetAllAsync(_hash), cancellationToken).ConfigureAwait(false);
        if (fields.Length == 0)
        {
            return null;
        }

        var values = fields.ToDictionary(f => f.Name.ToString(), f => f.Value, StringComparer.Ordinal);
        string? Text(string name) => values.TryGetValue(name, out var value) && !value.IsNull ? value.ToString() : null;
        return new SharedScenario(Text("name"), Text("yaml"), Text("setBy") ?? string.Empty, values.TryGetValue("version", out var version) ? (long)version : 0);
    }

    public async ValueTask<SharedScenario> SetAsync(string? name, string? yaml, string setBy, CancellationToken cancellationToken)
    {
        RedisValue[] values =
        [
            name ?? string.Empty, yaml ?? string.Empty, name is null ? "0" : "1", yaml is null ? "0" : "1", setBy,
            _clock.GetUtcNow().ToUnixTimeMilliseconds(), _channel,
        ];
        var version = (long)await _calls.ScriptAsync(RedisScripts.SetScenario, [_hash], values, cancellationToken).ConfigureAwait(false);
        var set = new SharedScenario(name, yaml, setBy, version);
        Raise(set, reconnected: false);
        return set;
    }

    /// <summary>The connection came back: what was announced meanwhile is read now.</summary>
    public Task ReconnectedAsync() => RefreshAsync(reconnected: true);

    public async ValueTask DisposeAsync()
    {
        if (_queue is { } queue)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Down: the subscription goes with the connection.
            }
        }
    }

    private async Task RefreshAsync(bool reconnected)
    {
        try
        {
            var current = await GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (current is null)
            {
                if (reconnected)
                {
                    Volatile.Write(ref _raised, 0);
                }

                return;
            }

            Raise(current, reconnected);
        }
        catch (ScenarioStateUnavailableException)
        {
            // Told once by the outage watch; the reconnect reads it again.
        }
    }

    private void Raise(SharedScenario scenario, bool reconnected)
    {
        lock (_gate)
        {
            if (reconnected && scenario.Version < _raised)
            {
                // Redis restarted empty and someone set a scenario since: its versions start again.
                _raised = scenario.Version - 1;
            }

            if (scenario.Version <= _raised)
            {
                return;
            }

            _raised = scenario.Version;
        }

        try
        {
            Changed?.Invoke(scenario);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A handler's bug must not stop the next announcements.
            Log.HandlerFailed(_logger, scenario.Version, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "A handler of the shared scenario's change (version {Version}) failed")]
        public static partial void HandlerFailed(ILogger logger, long version, Exception error);
    }
}
