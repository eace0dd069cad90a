using SmtpMock.Server.Scenarios;
using StackExchange.Redis;

namespace SmtpMock.Redis;

/// <summary>
/// Every command of the state goes through here: its outcome is told to the <see cref="OutageWatch"/>, and a Redis
/// that cannot answer becomes a <see cref="ScenarioStateUnavailableException"/> naming it (what a session turns into
/// 451). A cancellation stays a cancellation.
/// </summary>
internal sealed class RedisCalls(IDatabase database, OutageWatch watch, string description)
{
    public IDatabase Database => database;

    public string Description => description;

    public OutageWatch Watch => watch;

    public async ValueTask<T> RunAsync<T>(Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = OutageWatch.Start();
        try
        {
            var result = await call(database).WaitAsync(cancellationToken).ConfigureAwait(false);
            watch.Answered(started);
            return result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            watch.Failed(started, e);
            throw new ScenarioStateUnavailableException(description, $"scenario state {description} unavailable: {OutageWatch.Reason(e)}", e);
        }
    }

    /// <summary>Runs a script (EVALSHA once Redis has it: the text goes over the wire only the first time).</summary>
    public ValueTask<RedisResult> ScriptAsync(string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken) =>
        RunAsync(db => db.ScriptEvaluateAsync(script, keys, values), cancellationToken);
}
