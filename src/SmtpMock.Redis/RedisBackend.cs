using Microsoft.Extensions.Logging;
using SmtpMock.Server.Scenarios;
using StackExchange.Redis;

namespace SmtpMock.Redis;

/// <summary>
/// One connection to Redis (a StackExchange.Redis multiplexer) and what instances share through it: the scenario
/// state and the event bus. The connection closes once both are disposed (or this is). Commands fail within
/// <see cref="RedisSettings.Timeout"/> while Redis is down, and the client reconnects by itself.
/// </summary>
public sealed class RedisBackend : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private int _holders = 2;

    private RedisBackend(ConnectionMultiplexer connection, RedisSettings settings, string instanceId, ILoggerFactory loggerFactory)
    {
        _connection = connection;
        Description = settings.Description;
        var prefix = settings.Namespace + ":";
        var logger = loggerFactory.CreateLogger("SmtpMock.Redis");
        Watch = new OutageWatch(Description, logger);
        var calls = new RedisCalls(connection.GetDatabase(), Watch, Description);
        Scenario = new RedisSharedScenario(calls, prefix, TimeProvider.System, logger);
        State = new RedisScenarioState(calls, Scenario, prefix, TimeProvider.System, Once(ReleaseAsync));
        Bus = new RedisEventBus(connection.GetSubscriber(), Watch, logger, prefix, instanceId, Description, Once(ReleaseAsync));
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>Where it is connected (no credentials).</summary>
    public string Description { get; }

    public RedisScenarioState State { get; }

    public RedisEventBus Bus { get; }

    internal OutageWatch Watch { get; }

    private RedisSharedScenario Scenario { get; }

    /// <summary>
    /// Connects, subscribes to the shared scenario and the events, and returns once Redis has answered.
    /// </summary>
    /// <param name="settings">Where (see <see cref="RedisSettings.Parse(string)"/>).</param>
    /// <param name="instanceId">This instance's id: stamped on its events (so it never receives its own) and its client name.</param>
    /// <param name="loggerFactory">Where the one line per outage (and the one when it ends) goes.</param>
    /// <param name="cancellationToken">Gives up the start.</param>
    /// <exception cref="ScenarioStateUnavailableException">Redis does not answer: "cannot reach redis://host:port: reason".</exception>
    public static async Task<RedisBackend> ConnectAsync(RedisSettings settings, string instanceId, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var description = settings.Description;
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(settings.ToOptions(instanceId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            throw Unreachable(description, OutageWatch.Reason(e), e);
        }

        RedisBackend? backend = null;
        try
        {
            if (!connection.IsConnected)
            {
                // Not connected within the timeout: the network's reason if the port does not answer, else the client's
                // (authentication, TLS), from a PING.
                var refused = await ProbeAsync(settings, cancellationToken).ConfigureAwait(false);
                if (refused is not null)
                {
                    throw new ScenarioStateUnavailableException(description, refused, null);
                }

                await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            backend = new RedisBackend(connection, settings, instanceId, loggerFactory);
            await backend.Scenario.StartAsync(connection.GetSubscriber(), cancellationToken).ConfigureAwait(false);
            await backend.Bus.StartAsync(cancellationToken).ConfigureAwait(false);
            return backend;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ScenarioStateUnavailableException or OperationCanceledException)
        {
            await (backend is null ? connection.DisposeAsync() : backend.DisposeAsync()).ConfigureAwait(false);
            throw e is OperationCanceledException ? e : Unreachable(description, e is ScenarioStateUnavailableException { InnerException: null } ? e.Message : OutageWatch.Reason(e), e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await State.DisposeAsync().ConfigureAwait(false);
        await Bus.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Whether the port takes a connection at all: null if it does, else why not ("Connection refused").</summary>
    private static async Task<string?> ProbeAsync(RedisSettings settings, CancellationToken cancellationToken)
    {
        using var client = new System.Net.Sockets.TcpClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, deadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {settings.Timeout.TotalSeconds:0.#} s";
        }
    }

    private static ScenarioStateUnavailableException Unreachable(string description, string reason, Exception error) =>
        new(description, $"cannot reach {description}: {reason}", error);

    /// <summary>The release of one holder, at most once however often it is disposed.</summary>
    private static Func<ValueTask> Once(Func<ValueTask> release)
    {
        var done = 0;
        return () => Interlocked.Exchange(ref done, 1) == 0 ? release() : ValueTask.CompletedTask;
    }

    private async ValueTask ReleaseAsync()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            _connection.ConnectionFailed -= OnConnectionFailed;
            _connection.ConnectionRestored -= OnConnectionRestored;
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            Watch.Failed(OutageWatch.Start(), e.Exception ?? new IOException(e.FailureType.ToString()));
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            Watch.Answered(OutageWatch.Start());
        }

        // What was announced while cut off is read now (on either connection: the subscription's may come back last).
        _ = Scenario.ReconnectedAsync();
    }
}
