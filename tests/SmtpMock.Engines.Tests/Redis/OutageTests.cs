using Microsoft.Extensions.Logging;
using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Redis;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Engines.Tests.Redis;

/// <summary>Redis going away and coming back: prompt failures, one line per outage, recovery without the caller's help.</summary>
[TestFixture]
internal sealed class OutageTests : EngineFixture<RedisEngine>
{
    /// <summary>What "promptly" means for one failing call (the settings' timeout is 1 s): never the client's default 5 s.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    protected override Task<RedisEngine> StartAsync() => RedisEngine.StartAsync();

    [Test]
    public async Task While_redis_is_down_calls_fail_promptly_with_one_log_line_and_it_recovers_by_itself()
    {
        var log = new LogRecorder();
        await using var backend = await RedisBackend.ConnectAsync(RedisSettings.Parse($"{Engine.Uri}?namespace=t{Guid.NewGuid():N}", null), "a", log, CancellationToken.None);
        var state = backend.State;
        Assert.That(await state.IncrementAsync("n", CancellationToken.None), Is.EqualTo(1));

        await Engine.KillAsync();

        for (var i = 0; i < 20; i++)
        {
            var started = TimeProvider.System.GetTimestamp();
            var error = await Assert.ThrowsAsync<ScenarioStateUnavailableException>(async () =>
            {
                if (i % 2 == 0)
                {
                    await state.IncrementAsync("n", CancellationToken.None);
                }
                else
                {
                    await state.HitAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None);
                }
            });
            Assert.That(TimeProvider.System.GetElapsedTime(started), Is.LessThan(Prompt), $"call {i} failed promptly");
            Assert.That(error!.State, Does.StartWith(Engine.Uri + "?namespace="), "the state named, without credentials");
            backend.Bus.Publish("sessions", "dropped"u8.ToArray());
        }

        Assert.That(Errors(log), Has.Count.EqualTo(1), "one line for the outage, not one per call: " + string.Join(" | ", Errors(log)));
        Assert.That(Errors(log)[0], Does.Contain(Engine.Uri).And.Contain("unreachable").And.Not.Contain("heartbeat").And.Not.Contain("mc:"), "the reason without the client's diagnostics");

        await Engine.StartAgainAsync();

        // Started again empty (no persistence): the same state object counts again, with no reconnect by the caller.
        long? count = null;
        await Poll.UntilAsync(async _ => (count = await TryAsync(() => state.IncrementAsync("n", CancellationToken.None))) is not null, TimeSpan.FromSeconds(10), "the state answered again");
        Assert.That(count, Is.EqualTo(1));
        Assert.That((await state.HitAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None)).Count, Is.EqualTo(1), "the scripts are sent again to the new Redis");
        await Poll.UntilAsync(() => log.Lines.Any(l => l.Text.Contains("reachable again", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the recovery logged");
        Assert.That(Errors(log), Has.Count.EqualTo(1));
        Assert.That(log.Lines.Count(l => l.Text.Contains("reachable again", StringComparison.Ordinal)), Is.EqualTo(1));
        await TestContext.Progress.WriteLineAsync(string.Join("\n", log.Lines.Select(l => $"{l.Level}: {l.Text}")));
    }

    [Test]
    public async Task After_a_restart_that_lost_the_scenario_a_new_one_set_elsewhere_is_still_announced()
    {
        var space = $"t{Guid.NewGuid():N}";
        var settings = RedisSettings.Parse($"{Engine.Uri}?namespace={space}", null);
        await using var a = await RedisBackend.ConnectAsync(settings, "a", new LogRecorder(), CancellationToken.None);
        await using var b = await RedisBackend.ConnectAsync(settings, "b", new LogRecorder(), CancellationToken.None);
        SharedScenario? seen = null;
        b.State.ScenarioChanged += s => Volatile.Write(ref seen, s);
        await a.State.SetScenarioAsync("one", "name: one\n", "a", CancellationToken.None);
        await a.State.SetScenarioAsync("two", "name: two\n", "a", CancellationToken.None);
        await Poll.UntilAsync(() => Volatile.Read(ref seen)?.Version == 2, TimeSpan.FromSeconds(1), "B at version 2");

        await Engine.KillAsync();
        await Engine.StartAgainAsync();
        SharedScenario? set = null;
        await Poll.UntilAsync(async _ => (set = await TryAsync(() => a.State.SetScenarioAsync("three", "name: three\n", "a", CancellationToken.None))) is not null, TimeSpan.FromSeconds(10), "A set a scenario on the new Redis");

        Assert.That(set!.Version, Is.EqualTo(1), "an empty Redis counts versions from 1 again");
        await Poll.UntilAsync(() => Volatile.Read(ref seen) == set, TimeSpan.FromSeconds(5), "B followed it though its version is lower than the last it saw");
    }

    [Test]
    public async Task A_start_with_redis_down_fails_at_once_naming_it()
    {
        await Engine.StopAsync();
        var started = TimeProvider.System.GetTimestamp();

        var error = await Assert.ThrowsAsync<ScenarioStateUnavailableException>(() => RedisBackend.ConnectAsync(RedisSettings.Parse(Engine.Uri, null), "a", new LogRecorder(), CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo($"cannot reach {Engine.Uri}: Connection refused"), "the network's reason, without the client's diagnostics");
        Assert.That(TimeProvider.System.GetElapsedTime(started), Is.LessThan(TimeSpan.FromSeconds(5)));
        await TestContext.Progress.WriteLineAsync(error.Message);
    }

    private static List<string> Errors(LogRecorder log) => [.. log.Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Text)];

    private static async Task<T?> TryAsync<T>(Func<ValueTask<T>> call)
        where T : struct
    {
        try
        {
            return await call();
        }
        catch (ScenarioStateUnavailableException)
        {
            return null;
        }
    }

    private static async Task<SharedScenario?> TryAsync(Func<ValueTask<SharedScenario>> call)
    {
        try
        {
            return await call();
        }
        catch (ScenarioStateUnavailableException)
        {
            return null;
        }
    }
}
