using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;
using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>Zero-config failures (issue #12): recipients at smtpmock.test ask for a failure with no scenario at all.</summary>
public class FailureAddressTests
{
    private static string To(string address) => $"RCPT TO:<{address}>\r\n";

    [TestCase("503@smtpmock.test", "503 5.5.1 Bad sequence of commands")]
    [TestCase("550@smtpmock.test", "550 5.1.1 Requested action not taken: mailbox unavailable")]
    [TestCase("452@smtpmock.test", "452 4.5.3 Requested action not taken: too many recipients")]
    [TestCase("451@SmtpMock.TEST", "451 4.3.0 Requested action aborted: local error in processing")]
    public async Task Rcpt_to_a_code_address_gets_that_code_with_its_standard_enhanced_code_and_text(string address, string reply)
    {
        var result = await ExpectAsync(Ehlo + Mail + To(address) + Rcpt, "250", "250 2.1.0", reply[..9], "250 2.1.5");
        Assert.That(result.Lines, Does.Contain(reply));
        var rule = "simulator:" + address.Split('@')[0];
        Assert.That(result.Session.Transcript.Lines.Any(l => l.Text == $"rule '{rule}' fired at RCPT"), Is.True, "the transcript names the simulator");
        Assert.That(result.Session.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "bob@example.com" }), "a refused recipient is not added");
    }

    [Test]
    public async Task A_421_address_closes_the_connection_after_its_reply()
    {
        var result = await ExpectAsync(Ehlo + Mail + To("421@smtpmock.test") + "NOOP\r\n", "250", "250 2.1.0", "421 4.4.2");
        Assert.That(result.Session.EndReason, Is.Not.Null);
    }

    [Test]
    public async Task A_data_address_accepts_the_rcpt_and_refuses_the_message_after_the_final_dot()
    {
        var result = await ExpectAsync(Ehlo + Mail + To("552-data@smtpmock.test") + "DATA\r\n" + Message + "NOOP\r\n",
            "250", "250 2.1.0", "250 2.1.5", "354", "552 5.3.4", "250 2.0.0");
        Assert.That(result.Store.Messages, Is.Empty, "a refused message is not captured");
        Assert.That(result.Session.Transcript.Lines.Any(l => l.Rule == "simulator:552-data"), Is.True);
    }

    [Test]
    public async Task A_data_address_refuses_the_message_at_bdat_last_too()
    {
        var result = await ExpectAsync(Ehlo + Mail + To("451-data@smtpmock.test") + "BDAT 5\r\nHello" + "BDAT 0 LAST\r\n",
            "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "451 4.3.0");
        Assert.That(result.Store.Messages, Is.Empty);
    }

    [Test]
    public async Task A_data_address_among_normal_recipients_still_refuses_the_message()
    {
        var result = await ExpectAsync(Ehlo + Mail + Rcpt + To("554-data@smtpmock.test") + "DATA\r\n" + Message,
            "250", "250 2.1.0", "250 2.1.5", "250 2.1.5", "354", "554 5.6.0");
        Assert.That(result.Store.Messages, Is.Empty);
    }

    [Test]
    public async Task Disconnect_closes_without_a_reply_at_rcpt()
    {
        var result = await ExpectAsync(Ehlo + Mail + To("disconnect@smtpmock.test") + "NOOP\r\n", "250", "250 2.1.0");
        Assert.That(result.Session.EndReason, Does.Contain("simulator:disconnect"));
    }

    [Test]
    public async Task Disconnect_data_closes_without_a_reply_after_the_final_dot_and_captures_nothing()
    {
        var result = await ExpectAsync(Ehlo + Mail + To("disconnect-data@smtpmock.test") + "DATA\r\n" + Message + "NOOP\r\n",
            "250", "250 2.1.0", "250 2.1.5", "354");
        Assert.That(result.Store.Messages, Is.Empty);
        Assert.That(result.Session.EndReason, Does.Contain("simulator:disconnect-data"));
    }

    [TestCase("nobody@smtpmock.test")]
    [TestCase("250@smtpmock.test")]
    [TestCase("399@smtpmock.test")]
    [TestCase("600@smtpmock.test")]
    [TestCase("delay-11m@smtpmock.test")]
    [TestCase("greylist-soon@smtpmock.test")]
    public async Task Any_other_address_at_the_domain_gets_550_5_1_1_listing_the_forms_on_one_line(string address)
    {
        var result = await ExpectAsync(Ehlo + Mail + To(address), "250", "250 2.1.0", "550 5.1.1");
        var line = result.Lines[^1];
        Assert.That(line, Does.Contain("503@").And.Contain("552-data@").And.Contain("greylist@").And.Contain("delay-10s@").And.Contain("disconnect@").And.Contain("disconnect-data@"));
        Assert.That(System.Text.Encoding.UTF8.GetByteCount(line) + 2, Is.LessThanOrEqualTo(SmtpReply.MaxLineOctets));
    }

    [TestCase("503@example.com")]
    [TestCase("503@smtpmock.test.example.com")]
    [TestCase("503@sub.smtpmock.test")]
    public async Task Addresses_at_other_domains_are_accepted_as_usual(string address)
    {
        await ExpectAsync(Ehlo + Mail + To(address), "250", "250 2.1.0", "250 2.1.5");
    }

    [Test]
    public async Task Turned_off_the_addresses_are_ordinary_recipients()
    {
        var options = SessionDriver.Options(o => o with { Simulator = false });
        var result = await ExpectAsync(Ehlo + Mail + To("503@smtpmock.test") + To("disconnect@smtpmock.test") + "DATA\r\n" + Message, options,
            "250", "250 2.1.0", "250 2.1.5", "250 2.1.5", "354", "250 2.0.0");
        Assert.That(result.Store.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Out_of_sequence_the_server_answers_503_and_the_simulator_stays_silent()
    {
        var result = await ExpectAsync(Ehlo + To("550@smtpmock.test") + To("disconnect@smtpmock.test") + "NOOP\r\n", "250", "503 5.5.1", "503 5.5.1", "250 2.0.0");
        Assert.That(result.Session.Transcript.Lines.Any(l => l.Rule is not null), Is.False, "no rule fired");
    }

    [Test]
    public async Task An_active_scenario_is_asked_first_and_the_simulator_where_no_rule_fired()
    {
        const string yaml = "name: x\nrules:\n  - name: let-503-through\n    on: RCPT\n    when: { recipient: '503@*' }\n    reply: 250\n  - on: NOOP\n    reply: 502\n";
        var result = await ScenarioRunner.ExpectAsync(yaml, Ehlo + Mail + To("503@smtpmock.test") + To("550@smtpmock.test") + "NOOP\r\n",
            "250", "250 2.1.0", "250 2.0.0", "550 5.1.1", "502 5.5.1");
        var rules = result.Session.Transcript.Lines.Select(l => l.Rule).OfType<string>().Distinct();
        Assert.That(rules, Is.EqualTo(new[] { "let-503-through", "simulator:550", "rule-2" }));
    }

    [Test]
    public async Task Greylist_refuses_with_451_4_7_1_until_the_same_client_retries_after_30_seconds()
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => o with { TimeProvider = clock });
        var rules = ScenarioRules.Plain(options);
        async Task<string> AttemptAsync(string mail, string rcpt = "greylist@smtpmock.test") =>
            (await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + mail + To(rcpt)), options: options, rules: rules)).Lines[^1];

        Assert.That(await AttemptAsync(Mail), Does.StartWith("451 4.7.1 Greylisted"), "first attempt");
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.That(await AttemptAsync(Mail), Does.StartWith("451 4.7.1"), "a retry too soon");
        Assert.That(await AttemptAsync("MAIL FROM:<other@example.com>\r\n"), Does.StartWith("451 4.7.1"), "another sender is another key");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await AttemptAsync(Mail), Does.StartWith("250 2.1.5"), "a retry after the window");
        Assert.That(await AttemptAsync(Mail), Does.StartWith("250 2.1.5"), "and from then on");
        Assert.That(await AttemptAsync("MAIL FROM:<other@example.com>\r\n"), Does.StartWith("451 4.7.1"), "the other key's window started later");
    }

    [Test]
    public async Task Greylist_with_a_duration_sets_the_window()
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => o with { TimeProvider = clock });
        var rules = ScenarioRules.Plain(options);
        async Task<string> AttemptAsync() =>
            (await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + To("Greylist-5s@smtpmock.test")), options: options, rules: rules)).Lines[^1];

        Assert.That(await AttemptAsync(), Is.EqualTo("451 4.7.1 Greylisted: try again after 5 seconds"));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await AttemptAsync(), Is.EqualTo("451 4.7.1 Greylisted: try again after 3 seconds"), "a retry too soon is told what is left");
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.That(await AttemptAsync(), Does.StartWith("250 2.1.5"));
    }

    [Test]
    public async Task Greylist_keys_are_bounded_the_older_half_forgotten_past_the_cap()
    {
        var clock = new FakeTimeProvider();
        var state = new MemoryScenarioState(clock) { MaxKeys = 100 };
        var simulator = new FailureAddresses(clock, state);
        var session = new SessionContext(1, new IPEndPoint(IPAddress.Loopback, 40000), clock.GetUtcNow(), new Transcript(clock, 100));
        for (var i = 0; i < 250; i++)
        {
            var command = new SmtpCommand(SmtpVerb.Rcpt, "RCPT", "x") { Path = new MailPath($"greylist-{i + 1}s", "smtpmock.test", null) };
            Assert.That((await simulator.DecideAsync(ScenarioPoint.Rcpt, session, command, true, CancellationToken.None))?.Reply?.Code, Is.EqualTo(451), "a new key is greylisted");
            Assert.That(state.Count, Is.LessThanOrEqualTo(100));
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    [Test]
    public async Task A_normal_recipient_and_other_points_are_dismissed_without_a_rule_or_any_state()
    {
        var clock = new FakeTimeProvider();
        var state = new MemoryScenarioState(clock);
        var simulator = new FailureAddresses(clock, state);
        var session = new SessionContext(1, null, clock.GetUtcNow(), new Transcript(clock, 100));
        var rcpt = new SmtpCommand(SmtpVerb.Rcpt, "RCPT", "x") { Path = new MailPath("503", "example.com", null) };
        var noop = new SmtpCommand(SmtpVerb.Noop, "NOOP", string.Empty);
        Assert.That(await simulator.DecideAsync(ScenarioPoint.Rcpt, session, rcpt, true, CancellationToken.None), Is.Null);
        Assert.That(await simulator.DecideAsync(ScenarioPoint.Noop, session, noop, true, CancellationToken.None), Is.Null);
        Assert.That(await simulator.DecideAsync(ScenarioPoint.Message, session, null, true, CancellationToken.None), Is.Null);
        Assert.That(state.Count, Is.Zero);
    }

    [Test]
    public async Task Delay_holds_the_rcpt_reply_for_that_long_on_the_server_clock_then_accepts()
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => o with { TimeProvider = clock });
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + To("delay-10s@smtpmock.test") + "NOOP\r\n"), Split.Whole, options, hanging: waiting);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!waiting.Task.IsCompleted && !run.IsCompleted)
        {
            // Fake time passes only while the session is short of its next read; bounded by the real deadline.
            deadline.Token.ThrowIfCancellationRequested();
            clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Yield();
        }

        await waiting.Task.WaitAsync(deadline.Token);
        Assert.That(clock.GetUtcNow() - clock.Start, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(10)), "the RCPT reply waited ten seconds of the server's clock");
        clock.Advance(TimeSpan.FromMinutes(10));
        var result = await run.WaitAsync(deadline.Token);
        Assert.That(result.Codes.Take(4), Is.EqualTo(new[] { "250", "250 2.1.0", "250 2.1.5", "250 2.0.0" }));
        Assert.That(result.Session.Transcript.Lines.Any(l => l.Text.Contains("simulator:delay-10s", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task The_server_announces_the_addresses_at_start_unless_turned_off()
    {
        foreach (var on in new[] { true, false })
        {
            using var loggers = new LoggerFactory();
            var collector = new FakeLogCollector();
            loggers.AddProvider(new FakeLoggerProvider(collector));
            var options = new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Simulator = on };
            await using (var server = new SmtpMockServer(options, loggers))
            {
                await server.StartAsync();
            }

            var lines = collector.GetSnapshot().Where(r => r.Level == LogLevel.Information && r.Message.StartsWith("failure addresses on: try 503@smtpmock.test", StringComparison.Ordinal));
            Assert.That(lines.Count(), Is.EqualTo(on ? 1 : 0), $"Simulator = {on}");
        }
    }
}
