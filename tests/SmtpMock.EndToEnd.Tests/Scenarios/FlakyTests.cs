using MailKit.Net.Smtp;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/flaky.yaml: seeded random 451 4.3.0 on MAIL/RCPT/DATA and 421 at connect, the same on every run.</summary>
[TestFixture]
public sealed class FlakyTests
{
    private const string Scenario = "flaky";
    private const int Attempts = 30;
    private const string Accepted = "accepted";

    [Test]
    public async Task Same_sends_against_two_fresh_servers_fail_the_same_way()
    {
        var firstRun = await RunAsync();
        var secondRun = await RunAsync();
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, firstRun.Select((o, i) => $"{i + 1,2}: {o}")));

        Assert.Multiple(() =>
        {
            Assert.That(secondRun, Is.EqualTo(firstRun), "the seed makes the failures reproducible");
            Assert.That(firstRun, Has.Some.EqualTo(Accepted), "some sends succeed");
            Assert.That(firstRun, Has.Some.Not.EqualTo(Accepted), "some sends fail");
            Assert.That(firstRun.Where(o => o != Accepted), Has.All.Matches<string>(o => o is not null &&
                (o == "connect: 421 (no enhanced code)" || o.EndsWith(": 451 4.3.0 Temporary local problem, try again", StringComparison.Ordinal))),
                "a failure is the 421 greeting or the rule's 451 4.3.0");
        });
    }

    /// <summary>
    /// One fresh server, <see cref="Attempts"/> sends each on its own connection; returns each outcome: "accepted",
    /// or where it failed with the code, the enhanced code and the text. Checks that what was captured and what the
    /// transcripts say match the outcomes.
    /// </summary>
    private static async Task<IReadOnlyList<string>> RunAsync()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        var outcomes = new List<string>();
        var accepted = new List<string>();
        for (var i = 1; i <= Attempts; i++)
        {
            using var timeout = TestServer.Timeout();
            using var client = ScenarioKit.NewClient();
            try
            {
                await client.ConnectToAsync(server, timeout.Token);
            }
            catch (SmtpCommandException e)
            {
                outcomes.Add($"connect: {(int)e.StatusCode} {ScenarioKit.EnhancedCode(e) ?? "(no enhanced code)"}");
                continue;
            }

            try
            {
                var reply = await client.SendAsync(ScenarioKit.Message($"message {i}", $"rcpt{i}@example.org"), timeout.Token);
                accepted.Add(TestServer.QueuedId(reply));
                outcomes.Add(Accepted);
            }
            catch (SmtpCommandException e)
            {
                outcomes.Add($"{e.ErrorCode}: {(int)e.StatusCode} {e.Message}");
            }

            await client.DisconnectAsync(quit: true, timeout.Token);
        }

        var path = ScenarioKit.PathOf(Scenario);
        for (var i = 0; i < Attempts; i++)
        {
            var session = await server.WaitForSessionAsync(i + 1);
            var fired = session.FiredNotes();
            if (outcomes[i] == Accepted)
            {
                Assert.That(fired, Is.Empty, $"attempt {i + 1} was accepted: no rule fired");
            }
            else if (outcomes[i].StartsWith("connect:", StringComparison.Ordinal))
            {
                Assert.That(fired, Is.EqualTo(new[] { ScenarioKit.FiredNote(path, "flaky-connect", "CONNECT") }), $"attempt {i + 1}");
                Assert.That(session.RepliesBy("flaky-connect"), Is.EqualTo(new[] { "421 Service not available, closing transmission channel" }));
            }
            else
            {
                Assert.That(fired, Is.Not.Empty.And.All.StartWith("rule 'flaky-commands' (line "), $"attempt {i + 1}");
                Assert.That(session.RepliesBy("flaky-commands"), Has.All.EqualTo("451 4.3.0 Temporary local problem, try again"));
            }
        }

        Assert.That(server.Messages.Messages.Select(m => m.Id), Is.EqualTo(accepted), "exactly the accepted sends are captured");
        return outcomes;
    }
}
