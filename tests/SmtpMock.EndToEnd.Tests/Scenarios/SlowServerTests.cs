using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>
/// scenarios/slow-server.yaml: greeting after 6 min, 354 after 3 min, final reply after 11 min. The server's clock
/// is a FakeTimeProvider that is never advanced, so a delayed reply never comes; MailKit, with a 1 s timeout, gives
/// up in real time. (MailKit's own NetworkStream.ReadAsync turns its Timeout into a TimeoutException.)
/// </summary>
[TestFixture]
public sealed class SlowServerTests
{
    private const string Scenario = "slow-server";
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(1);

    [Test]
    public async Task MailKit_times_out_waiting_for_the_greeting()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario, new FakeTimeProvider());
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient(ClientTimeout);

        var failure = await ScenarioKit.CatchAsync<TimeoutException>(() => client.ConnectToAsync(server, timeout.Token));

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.Contain($"{ClientTimeout.TotalMilliseconds} milliseconds"));
            Assert.That(client.IsConnected, Is.False);
            Assert.That(server.Messages.Count, Is.Zero);
        });

        var session = await EndSessionAsync(server);
        var path = ScenarioKit.PathOf(Scenario);
        Assert.Multiple(() =>
        {
            Assert.That(session.Notes(), Does.Contain(ScenarioKit.FiredNote(path, "slow-greeting", "CONNECT")));
            Assert.That(session.Notes(), Does.Contain("rule 'slow-greeting' delays the reply by 360000 ms"));
            Assert.That(session.Replies(), Has.None.StartWith("220"), "the greeting was never sent");
            Assert.That(session.ClientLines(), Is.Empty);
        });
    }

    [Test]
    public async Task Without_the_slow_greeting_MailKit_times_out_waiting_for_354()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-slow-");
        try
        {
            // The scenario without its first rule: the greeting comes at once, the 354 after 3 minutes.
            var path = Path.Combine(folder.FullName, "slow-data.yaml");
            await File.WriteAllLinesAsync(path, WithoutRule(await File.ReadAllLinesAsync(ScenarioKit.PathOf(Scenario)), "slow-greeting"));
            await using var server = await ScenarioKit.StartFileAsync(path, Scenario, new FakeTimeProvider());
            Assert.That(server.Scenarios.Active!.Rules.Select(r => r.Name), Is.EqualTo(new[] { "slow-data", "slow-end-of-data" }));
            using var timeout = TestServer.Timeout();
            using var client = ScenarioKit.NewClient(ClientTimeout);
            await client.ConnectToAsync(server, timeout.Token);

            var failure = await ScenarioKit.CatchAsync<TimeoutException>(() =>
                client.SendAsync(ScenarioKit.Message("too slow", "rcpt@example.org"), timeout.Token));

            Assert.Multiple(() =>
            {
                Assert.That(failure.Message, Does.Contain($"{ClientTimeout.TotalMilliseconds} milliseconds"));
                Assert.That(client.IsConnected, Is.False, "MailKit drops the connection after a timeout");
                Assert.That(server.Messages.Count, Is.Zero);
            });

            var session = await EndSessionAsync(server);
            Assert.Multiple(() =>
            {
                Assert.That(session.Notes(), Does.Contain(ScenarioKit.FiredNote(path, "slow-data", "DATA")));
                Assert.That(session.Notes(), Does.Contain("rule 'slow-data' delays the reply by 180000 ms"));
                Assert.That(session.ClientLines()[^1], Is.EqualTo("DATA"));
                Assert.That(session.Replies(), Has.None.StartWith("354"), "the 354 was never sent");
                Assert.That(session.AcceptedMessages, Is.Empty);
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The session is still waiting for its fake clock: stopping the server ends it (with 421 4.3.2) and makes its
    /// transcript available.
    /// </summary>
    private static async Task<SessionContext> EndSessionAsync(SmtpMockServer server)
    {
        Assert.That(server.FinishedSessions, Is.Empty, "the delayed session is still open");
        await server.StopAsync();
        var session = await server.WaitForSessionAsync(1);
        Assert.That(session.EndReason, Does.StartWith("server shutting down"));
        return session;
    }

    /// <summary>The lines of a scenario file without the rule "- name: RULE" (up to the next rule).</summary>
    private static IEnumerable<string> WithoutRule(string[] lines, string rule)
    {
        var skipping = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("- name: ", StringComparison.Ordinal))
            {
                skipping = line.Trim() == $"- name: {rule}";
            }

            if (!skipping)
            {
                yield return line;
            }
        }
    }
}
