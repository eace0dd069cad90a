using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Redis;
using SmtpMock.Server.Scenarios;
using StackExchange.Redis;

namespace SmtpMock.Engines.Tests.Redis;

/// <summary>Two instances on one Redis count as one, follow one scenario and hear each other's events.</summary>
[TestFixture]
internal sealed class SharedStateTests : EngineFixture<RedisEngine>
{
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);

    protected override Task<RedisEngine> StartAsync() => RedisEngine.StartAsync();

    [Test]
    public async Task Counters_and_keys_are_shared_and_a_reset_on_one_clears_both()
    {
        var space = Space();
        await using var a = await ConnectAsync(space, "a");
        await using var b = await ConnectAsync(space, "b");

        Assert.That(await a.State.IncrementAsync("point:RCPT", CancellationToken.None), Is.EqualTo(1));
        Assert.That(await b.State.IncrementAsync("point:RCPT", CancellationToken.None), Is.EqualTo(2));
        Assert.That(await a.State.IncrementAsync("point:RCPT", CancellationToken.None), Is.EqualTo(3), "the third across instances");
        var first = await a.State.HitAsync("greylist\n192.0.2.1", TimeSpan.FromHours(1), CancellationToken.None);
        var retry = await b.State.HitAsync("greylist\n192.0.2.1", TimeSpan.FromHours(1), CancellationToken.None);
        Assert.That(retry, Is.EqualTo(first with { Count = 2 }), "the retry on the other instance sees the first attempt's time");

        await b.State.ResetAsync(CancellationToken.None);

        Assert.That(await a.State.IncrementAsync("point:RCPT", CancellationToken.None), Is.EqualTo(1));
        Assert.That((await a.State.HitAsync("greylist\n192.0.2.1", TimeSpan.FromHours(1), CancellationToken.None)).Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Two_namespaces_on_one_redis_do_not_mix()
    {
        await using var staging = await ConnectAsync(Space(), "a");
        await using var ci = await ConnectAsync(Space(), "a");
        var heard = 0;
        ci.Bus.Received += (_, _) => Interlocked.Increment(ref heard);
        await using var stagingPeer = await ConnectAsync(staging.Description.Split("namespace=")[1], "b");

        await staging.State.IncrementAsync("n", CancellationToken.None);
        await staging.State.SetScenarioAsync("x", "name: x\n", "api", CancellationToken.None);
        stagingPeer.Bus.Publish("sessions", "only staging"u8.ToArray());
        await ci.State.ResetAsync(CancellationToken.None);

        Assert.That(await staging.State.IncrementAsync("n", CancellationToken.None), Is.EqualTo(2), "another namespace's reset is not ours");
        Assert.That(await ci.State.IncrementAsync("n", CancellationToken.None), Is.EqualTo(1));
        Assert.That(await ci.State.GetScenarioAsync(CancellationToken.None), Is.Null);
        await Poll.UntilAsync(() => staging.Bus.Dropped == 0 && heard == 0, WithinASecond, "nothing heard across namespaces");
    }

    [Test]
    public async Task A_scenario_set_on_one_instance_is_announced_on_the_other_within_a_second()
    {
        var space = Space();
        await using var a = await ConnectAsync(space, "a");
        await using var b = await ConnectAsync(space, "b");
        SharedScenario? seen = null;
        b.State.ScenarioChanged += s => Volatile.Write(ref seen, s);

        var set = await a.State.SetScenarioAsync("greylisting", "name: greylisting\nrules: []\n", "a", CancellationToken.None);

        await Poll.UntilAsync(() => Volatile.Read(ref seen) == set, WithinASecond, "B raised ScenarioChanged with A's scenario");
        Assert.That(await b.State.GetScenarioAsync(CancellationToken.None), Is.EqualTo(set));
    }

    [Test]
    public async Task An_event_published_by_one_instance_reaches_the_other_and_not_itself_in_order()
    {
        var space = Space();
        await using var a = await ConnectAsync(space, "a");
        await using var b = await ConnectAsync(space, "b");
        var atA = new List<string>();
        var atB = new List<string>();
        a.Bus.Received += (topic, payload) => Add(atA, $"{topic}:{System.Text.Encoding.UTF8.GetString(payload.Span)}");
        b.Bus.Received += (topic, payload) => Add(atB, $"{topic}:{System.Text.Encoding.UTF8.GetString(payload.Span)}");

        for (var i = 0; i < 20; i++)
        {
            a.Bus.Publish(i % 2 == 0 ? "sessions" : "messages", System.Text.Encoding.UTF8.GetBytes($"e{i}"));
        }

        b.Bus.Publish("sessions", "from b"u8.ToArray());

        var expected = Enumerable.Range(0, 20).Select(i => $"{(i % 2 == 0 ? "sessions" : "messages")}:e{i}");
        await Poll.UntilAsync(() => Snapshot(atB).Count >= 20 && Snapshot(atA).Count >= 1, WithinASecond, "both heard the other");
        Assert.That(Snapshot(atB), Is.EqualTo(expected), "B hears A's events, each once, in order");
        Assert.That(Snapshot(atA), Is.EqualTo(new[] { "sessions:from b" }), "A hears B's, never its own");
    }

    [Test]
    public async Task A_keyed_hit_is_one_command_on_redis()
    {
        await using var a = await ConnectAsync(Space(), "a");
        // The first run of each script sends its text (EVAL); from then on its hash (EVALSHA).
        await a.State.HitAsync("warm", TimeSpan.FromMinutes(1), CancellationToken.None);
        await a.State.IncrementAsync("warm", CancellationToken.None);
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{Engine.Configuration},allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints().Single());
        await server.ConfigResetStatisticsAsync();

        await a.State.HitAsync("client\nsender\nrecipient", TimeSpan.FromMinutes(1), CancellationToken.None);
        await a.State.IncrementAsync("point:RCPT", CancellationToken.None);

        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g).ToList();
        // The commands inside a script count in their own lines (GET, HSETNX...); what crossed the network is the EVALSHAs.
        Assert.That(stats.Where(p => p.Key.StartsWith("cmdstat_eval", StringComparison.Ordinal)).Select(p => $"{p.Key}:{p.Value.Split(',')[0]}"), Is.EqualTo(new[] { "cmdstat_evalsha:calls=2" }),
            "one script call each: " + string.Join(", ", stats.Select(p => $"{p.Key}={p.Value.Split(',')[0]}")));
    }

    private static string Space() => $"t{Guid.NewGuid():N}";

    private static void Add(List<string> list, string item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }

    private static List<string> Snapshot(List<string> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }

    private Task<RedisBackend> ConnectAsync(string space, string instance) =>
        RedisBackend.ConnectAsync(RedisSettings.Parse($"{Engine.Uri}?namespace={space}", null), instance, new LogRecorder(), CancellationToken.None);
}
