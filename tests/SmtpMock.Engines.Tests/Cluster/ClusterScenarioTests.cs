using System.Diagnostics;
using System.Net;
using System.Text;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// Issue #21 tests 1–3: three instances behind HAProxy keep one scenario with one set of counters, whichever
/// instance a connection lands on.
/// </summary>
[TestFixture]
internal sealed class ClusterScenarioTests : ClusterFixture
{
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);

    [Test]
    public async Task A_greylisted_first_attempt_on_one_instance_is_accepted_on_another_after_the_window_and_stored_once()
    {
        await using var cluster = await StartClusterAsync();
        var window = TimeSpan.FromSeconds(2);
        await PutScenarioAsync(cluster.A, """
            name: greylisting-2s
            rules:
              - name: greylist
                on: RCPT
                key: [client, sender, recipient]
                times: 1
                for: 2s
                reply: { code: 451, enhanced: 4.7.1, text: "Greylisted, please try again later" }
            """);
        await FollowedEverywhereAsync(cluster, "greylisting-2s");
        var message = ClusterMail.Message("grey@example.org", "greylisted once");

        await cluster.Haproxy.ForceNextAsync(0);
        Assert.That(await ClusterMail.SendAsync(cluster.Haproxy.Port, message), Is.EqualTo((451, "RecipientNotAccepted")), cluster.Failure("the first attempt, on a"));

        // The retry must come after the window (counted from the 451's arrival, after a's clock took the first time):
        // wait for the clock, then send once, on another instance, which would greylist a first attempt.
        var first = Stopwatch.StartNew();
        await Poll.UntilAsync(() => first.Elapsed > window + TimeSpan.FromMilliseconds(100), window * 3, "the greylisting window to pass");
        await cluster.Haproxy.ForceNextAsync(1);
        Assert.That(await ClusterMail.SendAsync(cluster.Haproxy.Port, message), Is.EqualTo((250, "accepted")), cluster.Failure("the retry, on b, after the window") + Transcripts(cluster));

        await SessionsOnAsync(cluster, [1, 1, 0]);
        var counts = await cluster.C.Server.Messages.CountAsync(CancellationToken.None);
        Assert.That(counts.Total, Is.EqualTo(1), "stored once, seen from c");
    }

    [Test]
    public async Task The_third_rcpt_across_the_instances_fails_whichever_takes_it()
    {
        await using var cluster = await StartClusterAsync();
        await PutScenarioAsync(cluster.B, NthRcptPerServer("third-rcpt", 3));
        await FollowedEverywhereAsync(cluster, "third-rcpt");

        // Round robin: a, b, c, then a again; one recipient per connection.
        var codes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await ClusterMail.SendAsync(cluster.Haproxy.Port, ClusterMail.Message($"r{i}@example.org", $"rcpt {i}"))).Code);
        }

        Assert.That(codes, Is.EqualTo(new[] { 250, 250, 452, 250 }), cluster.Failure("the third RCPT counted across a, b and c"));
        await SessionsOnAsync(cluster, [2, 1, 1]);
        Assert.That(cluster.Instances.Sum(i => i.Server.Scenarios.FiredCounts.Values.Sum()), Is.EqualTo(1), "fired once in all");
    }

    [Test]
    public async Task A_scenario_put_on_a_is_followed_by_b_and_c_within_a_second_and_a_reset_on_c_clears_the_counters_everywhere()
    {
        await using var cluster = await StartClusterAsync();
        var put = Stopwatch.StartNew();
        await PutScenarioAsync(cluster.A, NthRcptPerServer("second-rcpt", 2));
        await FollowedEverywhereAsync(cluster, "second-rcpt");
        Assert.That(put.Elapsed, Is.LessThan(WithinASecond + TimeSpan.FromMilliseconds(500)), "followed within a second of the PUT (and its answer)");

        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(0), ClusterMail.Message("one@example.org", "first"))).Code, Is.EqualTo(250), "the first RCPT, on a");
        using (var reset = await cluster.C.Http.PostAsync(new Uri("api/v1/scenario/reset", UriKind.Relative), null))
        {
            Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reset.Content.ReadAsStringAsync());
        }

        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(1), ClusterMail.Message("two@example.org", "after the reset"))).Code, Is.EqualTo(250), "on b, the first RCPT again after c's reset");
        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(2), ClusterMail.Message("three@example.org", "second since"))).Code, Is.EqualTo(452), "on c, the second since the reset");
        Assert.That(cluster.B.Server.Scenarios.Active?.Name, Is.EqualTo("second-rcpt"), "the reset keeps the scenario");
    }

    /// <summary>A scenario refusing the <paramref name="nth"/> RCPT counted over every connection (452 4.5.3).</summary>
    private static string NthRcptPerServer(string name, int nth) => $$"""
        name: {{name}}
        rules:
          - name: nth-rcpt
            on: RCPT
            when: { nth: {{nth}}, per: server }
            reply: { code: 452, enhanced: 4.5.3, text: "Recipient {{nth}} refused" }
        """;

    private static async Task PutScenarioAsync(ClusterInstance instance, string yaml)
    {
        using var body = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var answer = await instance.Http.PutAsync(new Uri("api/v1/scenario", UriKind.Relative), body);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), await answer.Content.ReadAsStringAsync());
    }

    private static Task FollowedEverywhereAsync(SmtpCluster cluster, string name) =>
        Poll.UntilAsync(() => cluster.Instances.All(i => i.Server.Scenarios.Active?.Name == name), WithinASecond, $"'{name}' active on a, b and c");

    /// <summary>Waits until each instance has kept this many sessions (a closed one is kept a moment after it closes).</summary>
    private static Task SessionsOnAsync(SmtpCluster cluster, int[] expected) =>
        Poll.UntilAsync(
            () => cluster.Instances.Select(i => i.Server.FinishedSessions.Count).SequenceEqual(expected),
            TimeSpan.FromSeconds(10),
            cluster.Failure($"sessions on a, b, c: not [{string.Join(", ", expected)}]"));

    /// <summary>Every instance's transcripts, for a failure message.</summary>
    private static string Transcripts(SmtpCluster cluster) =>
        string.Join('\n', cluster.Instances.SelectMany(i => i.Server.FinishedSessions.Concat(i.Server.OpenSessions).SelectMany(s => s.Transcript.Lines.Select(l => $"{i.Id}#{s.Id} {l.Text}"))));
}
