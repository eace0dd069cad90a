using System.Diagnostics;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// Issue #21 test 5: <c>kill -9</c> of one replica during a 10,000-message load through HAProxy. Clients that lose
/// their connection reconnect and send the message again; afterwards PostgreSQL holds every acknowledged message
/// exactly once and none that was refused.
/// </summary>
[TestFixture]
internal sealed class ClusterKillTests : ClusterFixture
{
    private const int Messages = 10_000;
    private const int Senders = 8;
    private const int KillAfter = 3_000;

    /// <summary>Every 50th message is refused at the end of DATA, so "refused means not stored" is tested under the same load.</summary>
    private const int RefusedEvery = 50;

    private const string Scenario = """
        name: refuse-some
        rules:
          - name: refused-recipient
            on: MESSAGE
            when: { recipient: 'refused@*' }
            reply: 554
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    [Test]
    public async Task Every_message_acknowledged_while_a_replica_is_killed_is_stored_exactly_once_and_no_refused_one_is()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await ProcessCluster.StartAsync(Postgres, Redis, Scenario);
        var started = clock.Elapsed;
        var load = new ClusterLoad(cluster.Haproxy.Port, Messages, Senders, m => m % RefusedEvery == 0 ? "refused@example.org" : $"load{m}@example.org") { MaxAttempts = 100 };
        using var deadline = new CancellationTokenSource(Deadline);
        var running = load.Start(deadline.Token);

        await Poll.UntilAsync(() => load.Accepted >= KillAfter || running.IsCompleted, Deadline, $"{KillAfter} acknowledged");
        Assert.That(running.IsCompleted, Is.False, cluster.Failure($"the load ended before {KillAfter} were acknowledged: {running.Exception?.Message}"));
        var victim = cluster.Replicas[1];
        await victim.KillAsync();
        var killedAt = load.Accepted;
        await load.FinishAsync(running, cluster.Failure);
        var loaded = clock.Elapsed;

        var audit = LoadAudit.Of(load.Attempts, await cluster.StoredSubjectsAsync());
        await TestContext.Progress.WriteLineAsync(
            $"kill -9 of {victim.Id} (pid {victim.Pid}) after {killedAt} acknowledged; {Messages} messages, {Senders} senders: {audit}; " +
            $"cluster up in {started.TotalSeconds:0.0} s, load done at {loaded.TotalSeconds:0.0} s");

        Assert.That(audit.Problems, Is.Empty, cluster.Failure(audit.FirstProblems));
        Assert.That(load.GaveUp, Is.Zero, "every message accepted or refused for good within its attempts");
        Assert.That((load.Accepted, load.Refused), Is.EqualTo((Messages - (Messages / RefusedEvery), Messages / RefusedEvery)), "each message acknowledged once or refused once");
        Assert.That(audit.Lost, Is.GreaterThan(0), cluster.Failure("the kill cut some clients' sessions (else it did not happen mid-load)"));
        Assert.That(victim.IsRunning, Is.False);
        Assert.That(await cluster.Haproxy.StatusOfAsync(1), Is.EqualTo("DOWN"), "HAProxy's check took the killed replica out");
    }
}
