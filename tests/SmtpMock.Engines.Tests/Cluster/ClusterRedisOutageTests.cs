using System.Diagnostics;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// Issue #21 test 6 (Redis): stopped in the middle of a load through three replicas, a keyed rule's command gets
/// <c>451 4.3.0</c> for as long as it is down, and 250 again once it is back, with nothing acknowledged lost and one
/// console line per replica for the outage and one for the recovery.
/// </summary>
[TestFixture]
internal sealed class ClusterRedisOutageTests : ClusterFixture
{
    private const int Messages = 3_000;
    private const int Senders = 4;
    private const int StopAfter = 500;
    private const int RefusalsDuringOutage = 100;

    /// <summary>A keyed rule every RCPT matches (one round trip to Redis each), firing once per sender per Redis lifetime.</summary>
    private const string Scenario = """
        name: keyed-per-sender
        rules:
          - name: first-from-sender
            on: RCPT
            key: [sender]
            times: 1
            reply: { code: 451, enhanced: 4.7.1, text: "First message from this sender deferred" }
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Test]
    public async Task A_keyed_rule_answers_451_4_3_0_while_redis_is_down_and_250_after_with_nothing_acknowledged_lost()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await ProcessCluster.StartAsync(Postgres, Redis, Scenario);
        var load = new ClusterLoad(cluster.Haproxy.Port, Messages, Senders, m => $"keyed{m}@example.org");
        using var deadline = new CancellationTokenSource(Deadline);
        var running = load.Start(deadline.Token);

        await Poll.UntilAsync(() => load.Accepted >= StopAfter || running.IsCompleted, Deadline, $"{StopAfter} acknowledged");
        Assert.That(running.IsCompleted, Is.False, cluster.Failure($"the load ended before {StopAfter} were acknowledged: {running.Exception?.Message}"));
        await Redis.StopAsync();
        var stopped = Stopwatch.GetTimestamp();
        var acknowledgedBefore = load.Accepted;
        await Poll.UntilAsync(
            () => (load.Attempts.Count(a => a.Started > stopped && a.Outcome == AttemptOutcome.Refused) >= RefusalsDuringOutage
                && cluster.Replicas.All(r => r.Log.Contains(" unreachable ("))) || running.IsCompleted,
            Deadline,
            cluster.Failure($"{RefusalsDuringOutage} refusals while Redis is down, and each replica's line for the outage"));
        var restarting = Stopwatch.GetTimestamp();
        await Redis.StartAgainAsync();
        var restarted = Stopwatch.GetTimestamp();
        var outage = Stopwatch.GetElapsedTime(stopped, restarted);
        await load.FinishAsync(running, cluster.Failure);
        var loaded = clock.Elapsed;

        var during = load.Attempts.Where(a => a.Started > stopped && a.Ended < restarting).ToList();
        var after = load.Attempts.Where(a => a.Started > restarted).ToList();
        var audit = LoadAudit.Of(load.Attempts, await cluster.StoredSubjectsAsync());
        await TestContext.Progress.WriteLineAsync(
            $"Redis stopped after {acknowledgedBefore} acknowledged, down {outage.TotalSeconds:0.00} s: {during.Count} attempts begun and answered in the outage " +
            $"({during.Count(a => a.Reply.StartsWith("4.3.0", StringComparison.Ordinal))} of them 451 4.3.0); {Messages} messages, {Senders} senders: {audit}; load done at {loaded.TotalSeconds:0.0} s");

        Assert.That(during, Has.Count.GreaterThanOrEqualTo(RefusalsDuringOutage));
        Assert.That(during.Select(a => (a.Outcome, a.Code)), Is.All.EqualTo((AttemptOutcome.Refused, 451)), cluster.Failure("every transaction begun and ended in the outage refused"));
        Assert.That(during.Select(a => a.Reply), Is.All.StartsWith("4.3.0 Scenario state redis://"), "the state's own refusal, naming it");
        Assert.That(after.Count(a => a.Outcome == AttemptOutcome.Accepted), Is.GreaterThan(0), "250 again once Redis is back");
        Assert.That(audit.Problems, Is.Empty, cluster.Failure(audit.FirstProblems));
        Assert.That((load.Accepted, load.GaveUp, audit.Lost), Is.EqualTo((Messages, 0, 0)), "every message acknowledged in the end; no connection lost");
        Assert.That(load.Attempts.Count(a => a.Reply.StartsWith("4.7.1", StringComparison.Ordinal)), Is.EqualTo(2), "the keyed rule fired once per Redis lifetime (the restarted one is empty)");

        foreach (var replica in cluster.Replicas)
        {
            await Poll.UntilAsync(() => replica.Log.Count("reachable again") == 1, TimeSpan.FromSeconds(10), replica.Failure("logged the recovery"));
            Assert.That(replica.Log.Count(" unreachable ("), Is.EqualTo(1), replica.Failure("one line for the outage, not one per command"));
        }
    }
}
