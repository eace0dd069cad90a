using SmtpMock.Server.Hosting;
using SmtpMock.EndToEnd.Tests.Scenarios;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.EndToEnd.Tests.History;

/// <summary>
/// Two servers sharing one scenario state act as one (what Redis gives several replicas): a scenario activated on one
/// is in force on the other, and <c>nth</c> with <c>per: server</c> counts across both.
/// </summary>
public class SharedScenarioTests
{
    private const string ThirdRcpt = """
        name: third-rcpt-anywhere
        rules:
          - name: third-rcpt
            on: RCPT
            when:
              nth: 3
              per: server
            reply: 451
        """;

    [Test]
    public async Task A_scenario_activated_on_one_instance_counts_rcpts_across_both()
    {
        await using var state = new MemoryScenarioState(TimeProvider.System);
        await using var a = await TestServer.StartAsync(o => o with { ScenarioState = state, InstanceId = "a" });
        await using var b = await TestServer.StartAsync(o => o with { ScenarioState = state, InstanceId = "b" });

        var (scenario, problems) = ScenarioLoader.Parse(ThirdRcpt, "third-rcpt.yaml");
        Assert.That(problems, Is.Empty);
        a.Scenarios.Activate(scenario);
        await FaultKit.UntilAsync(() => b.Scenarios.Active?.Name == "third-rcpt-anywhere" && b.Scenarios.SharedVersion == a.Scenarios.SharedVersion, "B follows A's scenario");

        var replies = new List<string>();
        foreach (var server in new[] { a, b, b, a })
        {
            await using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint);
            await client.CommandAsync("MAIL FROM:<app@example.com>");
            replies.Add((await client.CommandAsync("RCPT TO:<bob@example.com>"))[^1][..3]);
            await client.CommandAsync("QUIT");
        }

        Assert.That(replies, Is.EqualTo(new[] { "250", "250", "451", "250" }), "the third RCPT across both instances fails, on B");

        await b.Scenarios.ResetAsync(CancellationToken.None);
        replies.Clear();
        foreach (var server in new[] { a, a, a })
        {
            await using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint);
            await client.CommandAsync("MAIL FROM:<app@example.com>");
            replies.Add((await client.CommandAsync("RCPT TO:<bob@example.com>"))[^1][..3]);
            await client.CommandAsync("QUIT");
        }

        Assert.That(replies, Is.EqualTo(new[] { "250", "250", "451" }), "a reset on B starts counting again on A too");
    }

    [Test]
    public async Task An_instance_that_starts_later_follows_the_shared_scenario_instead_of_its_own_default()
    {
        await using var state = new MemoryScenarioState(TimeProvider.System);
        await using var a = await TestServer.StartAsync(o => o with { ScenarioState = state });
        a.Scenarios.Activate(ScenarioLoader.Parse(ThirdRcpt, "third-rcpt.yaml").Scenario);
        await FaultKit.UntilAsync(() => a.Scenarios.SharedVersion > 0, "A shared its scenario");

        await using var late = await TestServer.StartAsync(o => o with { ScenarioState = state });
        Assert.That((late.Scenarios.Active?.Name, late.Scenarios.SharedVersion), Is.EqualTo(("third-rcpt-anywhere", a.Scenarios.SharedVersion)));
    }
}
