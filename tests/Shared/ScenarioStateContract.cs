using SmtpMock.Server.Scenarios;

namespace SmtpMock.Tests.Shared;

/// <summary>
/// What every <see cref="IScenarioState"/> must do, run against each implementation (memory, Redis): a fixture derives
/// from this and says how to make an empty state, what "now" is on its clock and how to wait for time to pass. The
/// scenario engine, the failure addresses and the reset rely on exactly these behaviours.
/// </summary>
public abstract class ScenarioStateContract
{
    /// <summary>A new, empty state (its own namespace when the engine is shared).</summary>
    protected abstract Task<IScenarioState> CreateAsync();

    /// <summary>Now on the clock the state takes first-seen times from.</summary>
    protected abstract DateTimeOffset Now { get; }

    /// <summary>How far a first-seen time may be from <see cref="Now"/> (the precision the state keeps times at).</summary>
    protected virtual TimeSpan Precision => TimeSpan.Zero;

    /// <summary>Asks <paramref name="condition"/> again and again while time passes, until it holds or a deadline fails the test.</summary>
    protected abstract Task UntilAsync(Func<Task<bool>> condition, string what);

    [Test]
    public async Task Counters_start_at_one_and_each_counts_on_its_own()
    {
        await using var state = await CreateAsync();

        Assert.That(await state.IncrementAsync("a", CancellationToken.None), Is.EqualTo(1));
        Assert.That(await state.IncrementAsync("a", CancellationToken.None), Is.EqualTo(2));
        Assert.That(await state.IncrementAsync("b", CancellationToken.None), Is.EqualTo(1));
        Assert.That(await state.IncrementAsync("a", CancellationToken.None), Is.EqualTo(3));
    }

    [Test]
    public async Task Concurrent_increments_each_get_a_number_of_their_own()
    {
        await using var state = await CreateAsync();

        var counts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => state.IncrementAsync("n", CancellationToken.None).AsTask()));

        Assert.That(counts.Order(), Is.EqualTo(Enumerable.Range(1, 50).Select(i => (long)i)));
    }

    [Test]
    public async Task A_key_counts_its_hits_and_keeps_the_time_it_was_first_seen()
    {
        await using var state = await CreateAsync();
        var before = Now;

        var first = await state.HitAsync("client\nsender", TimeSpan.FromHours(1), CancellationToken.None);
        var second = await state.HitAsync("client\nsender", TimeSpan.FromHours(1), CancellationToken.None);
        var other = await state.HitAsync("client\nother", TimeSpan.FromHours(1), CancellationToken.None);

        Assert.That(first.Count, Is.EqualTo(1));
        Assert.That(first.FirstSeen, Is.InRange(before - Precision, Now + Precision));
        Assert.That(second, Is.EqualTo(first with { Count = 2 }), "a later hit counts and keeps the first time");
        Assert.That(other.Count, Is.EqualTo(1), "another key is new");
    }

    [Test]
    public async Task A_key_is_forgotten_once_its_keep_is_up_and_later_hits_do_not_extend_it()
    {
        await using var state = await CreateAsync();
        var keep = TimeSpan.FromMilliseconds(300);
        var first = await state.HitAsync("greylist", keep, CancellationToken.None);

        // Every ask is a hit: a state that extended the keep on each hit would never forget the key.
        KeyHits last = default;
        await UntilAsync(async () => (last = await state.HitAsync("greylist", keep, CancellationToken.None)).Count == 1, "the key forgotten after its keep");

        Assert.That(last.FirstSeen, Is.GreaterThan(first.FirstSeen), "seen anew, from now");
        Assert.That(last.FirstSeen - first.FirstSeen, Is.GreaterThanOrEqualTo(keep - Precision));
    }

    [Test]
    public async Task Reset_forgets_every_counter_and_key_but_not_the_scenario()
    {
        await using var state = await CreateAsync();
        await state.IncrementAsync("a", CancellationToken.None);
        await state.IncrementAsync("a", CancellationToken.None);
        await state.HitAsync("k", TimeSpan.FromHours(1), CancellationToken.None);
        await state.HitAsync("k", TimeSpan.FromHours(1), CancellationToken.None);
        var scenario = await state.SetScenarioAsync("greylisting", "name: greylisting\n", "test", CancellationToken.None);

        await state.ResetAsync(CancellationToken.None);

        Assert.That(await state.IncrementAsync("a", CancellationToken.None), Is.EqualTo(1));
        Assert.That((await state.HitAsync("k", TimeSpan.FromHours(1), CancellationToken.None)).Count, Is.EqualTo(1));
        Assert.That(await state.GetScenarioAsync(CancellationToken.None), Is.EqualTo(scenario));
    }

    [Test]
    public async Task The_shared_scenario_is_none_at_first_then_each_change_has_the_next_version_and_is_announced_once()
    {
        await using var state = await CreateAsync();
        var raised = new List<SharedScenario>();
        state.ScenarioChanged += s =>
        {
            lock (raised)
            {
                raised.Add(s);
            }
        };

        Assert.That(await state.GetScenarioAsync(CancellationToken.None), Is.Null);

        var set = await state.SetScenarioAsync("bounce", "name: bounce\nrules: []\n", "api", CancellationToken.None);
        Assert.That(set, Is.EqualTo(new SharedScenario("bounce", "name: bounce\nrules: []\n", "api", 1)));
        Assert.That(await state.GetScenarioAsync(CancellationToken.None), Is.EqualTo(set));

        var cleared = await state.SetScenarioAsync(null, null, "file", CancellationToken.None);
        Assert.That(cleared, Is.EqualTo(new SharedScenario(null, null, "file", 2)), "none is a scenario too, with its own version");
        Assert.That(await state.GetScenarioAsync(CancellationToken.None), Is.EqualTo(cleared));

        await UntilAsync(() => Task.FromResult(Raised().Count >= 2), "both changes announced here");
        Assert.That(Raised().Select(s => s.Version), Is.EqualTo(new long[] { 1, 2 }), "each version once, in order");

        List<SharedScenario> Raised()
        {
            lock (raised)
            {
                return [.. raised];
            }
        }
    }

    [Test]
    public async Task An_empty_scenario_text_is_kept_apart_from_none()
    {
        await using var state = await CreateAsync();

        await state.SetScenarioAsync(string.Empty, string.Empty, "x", CancellationToken.None);

        Assert.That(await state.GetScenarioAsync(CancellationToken.None), Is.EqualTo(new SharedScenario(string.Empty, string.Empty, "x", 1)));
    }

    [Test]
    public async Task It_says_where_it_lives()
    {
        await using var state = await CreateAsync();

        Assert.That(state.Description, Is.Not.Empty);
    }
}
