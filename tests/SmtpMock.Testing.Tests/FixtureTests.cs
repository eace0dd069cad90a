using System.Net;
using MailKit.Net.Smtp;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Testing.Tests;

[TestFixture]
public sealed class FixtureTests
{
    [Test]
    public async Task Start_listens_on_loopback_on_a_free_port_by_default()
    {
        await using var smtp = await SmtpMockFixture.StartAsync();

        Assert.That(smtp.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(smtp.Port, Is.GreaterThan(0));
        Assert.That(smtp.Scenario, Is.Null);
    }

    [Test]
    public async Task Messages_hold_the_envelope_and_the_parsed_message()
    {
        await using var smtp = await SmtpMockFixture.StartAsync();

        await Mail.SendAsync(smtp, Mail.Message("bob@example.org", "first"), Mail.Message("carol@example.org", "second"));
        var messages = await smtp.WaitForMessagesAsync(2, Mail.Deadline);

        Assert.That(messages.Select(m => m.Message.Subject), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(messages[0].From, Is.EqualTo("app@example.com"));
        Assert.That(messages[0].To, Is.EqualTo(new[] { "bob@example.org" }));
        Assert.That(messages[1].To, Is.EqualTo(new[] { "carol@example.org" }));
        Assert.That(messages[0].Message.TextBody, Does.Contain("body of first"));
        Assert.That(messages[0].Raw.Length, Is.EqualTo(messages[0].Captured.Size));
    }

    [Test]
    public async Task WaitForMessages_times_out_saying_what_arrived()
    {
        await using var smtp = await SmtpMockFixture.StartAsync();
        await Mail.SendAsync(smtp, Mail.Message("bob@example.org", "only one"));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => smtp.WaitForMessagesAsync(2, TimeSpan.FromMilliseconds(200)));

        Assert.That(e?.Message, Does.Contain("expected 2 messages").And.Contain("got 1").And.Contain("only one"));
    }

    [Test]
    public async Task WaitForMessages_returns_as_soon_as_the_count_is_reached()
    {
        await using var smtp = await SmtpMockFixture.StartAsync();

        var waiting = smtp.WaitForMessagesAsync(1, Mail.Deadline);
        Assert.That(waiting.IsCompleted, Is.False);
        await Mail.SendAsync(smtp, Mail.Message("bob@example.org"));

        Assert.That(await waiting, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Sessions_hold_the_transcript_of_each_finished_session()
    {
        await using var smtp = await SmtpMockFixture.StartAsync();
        await Mail.SendAsync(smtp, Mail.Message("bob@example.org"));

        var sessions = await smtp.WaitForSessionsAsync(1, Mail.Deadline);

        var lines = sessions[0].Lines;
        Assert.That(lines.Where(l => l.Direction == TranscriptDirection.In).Select(l => l.Text), Does.Contain("RCPT TO:<bob@example.org>"));
        Assert.That(lines.Where(l => l.Direction == TranscriptDirection.Out).Select(l => l.Text), Has.Some.StartsWith("221 "));
        Assert.That(sessions[0].Messages, Is.EqualTo(new[] { smtp.Messages.Single().Captured.Id }), "the session names the message it delivered");
        Assert.That(sessions[0].LineCount, Is.EqualTo(lines.Count));
    }

    [Test]
    public async Task Reset_forgets_messages_and_sessions_and_restarts_scenario_counters()
    {
        // The first RCPT the whole server sees is refused; after Reset it is the first again.
        await using var smtp = await SmtpMockFixture.StartAsync(o => o.UseScenario(s => s.Reply(ScenarioPoint.Rcpt, 503, nth: 1, per: CountScope.Server)));
        await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(smtp, Mail.Message("bob@example.org")));
        await Mail.SendAsync(smtp, Mail.Message("bob@example.org"));
        await smtp.WaitForSessionsAsync(2, Mail.Deadline);
        Assert.That(smtp.Messages, Has.Count.EqualTo(1));

        smtp.Reset();

        Assert.That(smtp.Messages, Is.Empty);
        Assert.That(smtp.Sessions, Is.Empty);
        var again = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(smtp, Mail.Message("bob@example.org")));
        Assert.That((int?)again?.StatusCode, Is.EqualTo(503));
    }

    [Test]
    public async Task UseScenario_applies_to_connections_opened_after_it()
    {
        await using var smtp = await SmtpMockFixture.StartAsync();
        await Mail.SendAsync(smtp, Mail.Message("bob@example.org"));

        smtp.UseScenario(s => s.Named("no-mail").Reply(ScenarioPoint.Mail, 504, text: "SIZE not implemented"));
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(smtp, Mail.Message("bob@example.org")));
        smtp.UseScenario((Scenario?)null);
        await Mail.SendAsync(smtp, Mail.Message("bob@example.org"));

        Assert.That((int?)refused?.StatusCode, Is.EqualTo(504));
        Assert.That(refused?.Message, Does.Contain("5.5.4 SIZE not implemented"));
        Assert.That(smtp.Messages, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_scenario_file_is_loaded_and_active()
    {
        var file = Path.Combine(TestContext.CurrentContext.TestDirectory, "scenarios", "bad-sequence.yaml");
        await using var smtp = await SmtpMockFixture.StartAsync(o => o.UseScenarioFile(file));

        Assert.That(smtp.Scenario?.Name, Is.EqualTo("bad-sequence"));
        var message = Mail.Message("bob@example.org");
        message.To.Add(MimeKit.MailboxAddress.Parse("carol@example.org"));
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(smtp, message));
        Assert.That((int?)refused?.StatusCode, Is.EqualTo(503));
        Assert.That(refused?.Mailbox?.Address, Is.EqualTo("carol@example.org"));
    }

    [Test]
    public async Task Broken_scenario_yaml_fails_with_every_problem_and_its_position()
    {
        var e = await Assert.ThrowsAsync<ScenarioException>(() => SmtpMockFixture.StartAsync(o => o.UseScenarioYaml("""
            name: broken
            rules:
              - name: r
                on: RCPT
                reply: 999
            """)));

        Assert.That(e?.Problems, Has.Count.EqualTo(1));
        Assert.That(e?.Problems[0].ToString(), Does.StartWith("(yaml):5:").And.Contain("reply code"));
    }

    [Test]
    public async Task A_missing_scenario_file_is_reported_by_path()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "no-such-scenario.yaml");

        var e = await Assert.ThrowsAsync<ScenarioException>(() => SmtpMockFixture.StartAsync(o => o.UseScenarioFile(path)));

        Assert.That(e?.Problems[0].File, Is.EqualTo(path));
    }

    [Test]
    public async Task Many_fixtures_run_in_parallel_each_with_its_own_port_and_messages()
    {
        var fixtures = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SmtpMockFixture.StartAsync()));
        try
        {
            await Task.WhenAll(fixtures.Select((f, i) => Mail.SendAsync(f, Mail.Message($"user{i}@example.org"))));

            Assert.That(fixtures.Select(f => f.Port).Distinct().Count(), Is.EqualTo(fixtures.Length));
            for (var i = 0; i < fixtures.Length; i++)
            {
                var messages = await fixtures[i].WaitForMessagesAsync(1, Mail.Deadline);
                Assert.That(messages.Single().To, Is.EqualTo(new[] { $"user{i}@example.org" }));
            }
        }
        finally
        {
            await Task.WhenAll(fixtures.Select(f => f.DisposeAsync().AsTask()));
        }
    }

    [Test]
    public async Task Server_options_are_passed_through()
    {
        await using var smtp = await SmtpMockFixture.StartAsync(o =>
        {
            o.Hostname = "mock.example";
            o.Address = IPAddress.Loopback;
            o.Server = s => s with { MaxRecipients = 1 };
        });
        var message = Mail.Message("bob@example.org");
        message.To.Add(MimeKit.MailboxAddress.Parse("carol@example.org"));

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(smtp, message));

        Assert.That((int?)refused?.StatusCode, Is.EqualTo(452));
        Assert.That(smtp.Server.Options.Hostname, Is.EqualTo("mock.example"));
    }
}
