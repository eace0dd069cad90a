using SmtpMock.Server.Session;
using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;
using static SmtpMock.Server.Tests.Scenarios.ScenarioRunner;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>Scenario semantics at the session seam: every dialog is fed whole, per line and per byte.</summary>
public class ScenarioEngineTests
{
    [Test]
    public async Task The_second_rcpt_of_each_transaction_gets_503_and_the_state_is_unchanged()
    {
        const string yaml = "name: x\nrules:\n  - name: second-rcpt\n    on: RCPT\n    when: { nth: 2, per: transaction }\n    reply: 503\n";
        var one = Mail + Rcpt + "RCPT TO:<c@example.com>\r\nDATA\r\n" + Message;
        var result = await ExpectAsync(yaml, Ehlo + one + one,
            "250", "250 2.1.0", "250 2.1.5", "503 5.5.1", "354", "250 2.0.0", "250 2.1.0", "250 2.1.5", "503 5.5.1", "354", "250 2.0.0");
        Assert.That(result.Store.Messages.Select(m => m.Recipients.Count), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(result.Session.Transcript.Lines.Count(l => l.Rule == "second-rcpt"), Is.EqualTo(2));
        Assert.That(result.Session.Transcript.Lines.Any(l => l.Text == "rule 'second-rcpt' (line 3) fired at RCPT"), Is.True);
    }

    [Test]
    public async Task Nth_per_session_counts_across_transactions()
    {
        const string yaml = "name: x\nrules:\n  - on: RCPT\n    when: { nth: 2 }\n    reply: 550\n";
        await ExpectAsync(yaml, Ehlo + Mail + Rcpt + "RSET\r\n" + Mail + Rcpt + Rcpt,
            "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "250 2.1.0", "550 5.1.1", "250 2.1.5");
    }

    [Test]
    public async Task Nth_per_server_counts_across_sessions()
    {
        var options = SessionDriver.Options();
        var rules = ScenarioRules.For(options, Parse("name: x\nrules:\n  - on: MAIL\n    when: { nth: 2, per: server }\n    reply: 451\n"));
        var first = await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail), options: options, rules: rules);
        var second = await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + "RSET\r\n" + Mail), options: options, rules: rules, sessionId: 2);
        Assert.That(first.Codes, Is.EqualTo(new[] { "250", "250 2.1.0" }));
        Assert.That(second.Codes, Is.EqualTo(new[] { "250", "451 4.3.0", "250 2.0.0", "250 2.1.0" }));
    }

    [Test]
    public async Task A_rejected_ehlo_changes_nothing_so_the_client_can_fall_back_to_helo()
    {
        const string yaml = "name: x\nrules:\n  - on: EHLO\n    reply: 502\n";
        var result = await ExpectAsync(yaml, Ehlo + Mail + "HELO client.test\r\n" + Mail, "502", "503 5.5.1", "250", "250 2.1.0");
        Assert.That(result.Lines[1], Is.EqualTo("502 Command not implemented"));
    }

    [Test]
    public async Task Conditions_on_sender_recipient_argument_and_parameter()
    {
        const string yaml = """
            name: x
            rules:
              - on: RCPT
                when: { sender: '*@spam.example', recipient: 'bob@*' }
                reply: 550
              - on: MAIL
                when: { parameter: SIZE }
                reply: 504
              - on: VRFY
                when: { argument: '^root$' }
                reply: 502
            """;
        await ExpectAsync(yaml,
            Ehlo + "MAIL FROM:<x@spam.example>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<carol@example.com>\r\nRSET\r\n"
            + "MAIL FROM:<x@example.com> SIZE=10\r\nMAIL FROM:<x@example.com>\r\nRCPT TO:<bob@example.com>\r\nVRFY root\r\nVRFY bob\r\n",
            "250", "250 2.1.0", "550 5.1.1", "250 2.1.5", "250 2.0.0", "504 5.5.4", "250 2.1.0", "250 2.1.5", "502 5.5.1", "252 2.0.0");
    }

    [Test]
    public async Task Session_numbers_choose_connections()
    {
        const string yaml = "name: x\nrules:\n  - on: NOOP\n    when: { session: [1, \"3-4\"] }\n    reply: 421\n";
        var codes = new List<string>();
        for (var id = 1; id <= 5; id++)
        {
            codes.Add((await RunAsync(yaml, "NOOP\r\n", sessionId: id)).Codes.Single());
        }

        Assert.That(codes, Is.EqualTo(new[] { "421 4.4.2", "250 2.0.0", "421 4.4.2", "421 4.4.2", "250 2.0.0" }));
    }

    [Test]
    public async Task A_421_closes_the_session_and_then_close_closes_after_any_reply()
    {
        var closed = await ExpectAsync("name: x\nrules:\n  - on: MAIL\n    reply: 421\n", Ehlo + Mail + "NOOP\r\n", "250", "421 4.4.2");
        Assert.That(closed.Session.EndReason, Is.EqualTo("closed after 421"));
        var thenClose = await ExpectAsync("name: x\nrules:\n  - name: bye\n    on: NOOP\n    reply: 250\n    then: close\n", "NOOP\r\nNOOP\r\n", "250 2.0.0");
        Assert.That(thenClose.Session.EndReason, Is.EqualTo("closed by rule 'bye'"));
    }

    [Test]
    public async Task Reply_none_drops_the_connection_without_a_word_mid_data_and_nothing_is_captured()
    {
        var result = await ExpectAsync("name: x\nrules:\n  - name: drop\n    on: MESSAGE\n    reply: none\n    then: close\n", Ehlo + Mail + Rcpt + "DATA\r\n" + Message + "NOOP\r\n",
            "250", "250 2.1.0", "250 2.1.5", "354");
        Assert.That(result.Store.Count, Is.Zero);
        Assert.That(result.Session.EndReason, Does.Contain("without a reply by rule 'drop'"));
    }

    [Test]
    public async Task A_message_refused_at_the_message_point_is_not_captured_and_the_transaction_ends()
    {
        var result = await ExpectAsync("name: x\nrules:\n  - on: MESSAGE\n    when: { nth: 1 }\n    reply: 554\n", Ehlo + Mail + Rcpt + "DATA\r\n" + Message + Rcpt + Mail + Rcpt + "DATA\r\n" + Message,
            "250", "250 2.1.0", "250 2.1.5", "354", "554 5.6.0", "503 5.5.1", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0");
        Assert.That(result.Store.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task The_last_bdat_chunk_is_judged_at_the_message_point()
    {
        var result = await ExpectAsync("name: x\nrules:\n  - on: MESSAGE\n    reply: 552\n", Ehlo + Mail + Rcpt + "BDAT 3\r\nabcBDAT 2 LAST\r\nde",
            "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "552 5.3.4");
        Assert.That(result.Store.Count, Is.Zero);
    }

    [Test]
    public async Task A_refusing_greeting_leaves_only_quit()
    {
        var result = await ExpectAsync("name: x\nrules:\n  - on: CONNECT\n    reply: { code: 554, text: No service }\n", Ehlo + "NOOP\r\nQUIT\r\n", "503 5.5.1", "503 5.5.1", "221 2.0.0");
        Assert.That(result.Lines[0], Is.EqualTo("554 No service"));
    }

    [Test]
    public async Task Server_presentation_replaces_greeting_hostname_and_extensions_and_unadvertised_ones_are_refused()
    {
        const string yaml = "name: x\nserver:\n  hostname: mx.example.test\n  greeting: mx.example.test ESMTP hello\n  extensions: [PIPELINING, SIZE 100]\nrules: []\n";
        var result = await ExpectAsync(yaml, Ehlo + "MAIL FROM:<a@b.example> BODY=8BITMIME\r\nMAIL FROM:<a@b.example> SIZE=101\r\n" + Mail + Rcpt + "BDAT 1 LAST\r\nx",
            "250", "555 5.5.4", "552 5.3.4", "250 2.1.0", "250 2.1.5", "502 5.5.1");
        Assert.That(result.Lines.Take(4), Is.EqualTo(new[] { "220 mx.example.test ESMTP hello", "250-mx.example.test greets client.test", "250-PIPELINING", "250 SIZE 100" }));
    }

    [Test]
    public async Task Raw_bytes_are_sent_exactly_and_the_session_goes_on()
    {
        var result = await RunAsync("name: x\nrules:\n  - name: bare-lf\n    on: NOOP\n    raw: \"250 no CR here\\n\"\n", "NOOP\r\nNOOP\r\n");
        Assert.That(result.Output, Does.EndWith("250 no CR here\n250 no CR here\n"));
        Assert.That(result.Session.Transcript.Lines.Any(l => l.Text == "(raw) 250 no CR here\\n" && l.Rule == "bare-lf"), Is.True);
    }

    [Test]
    public async Task A_delay_holds_the_reply_until_the_clock_passes_it_and_flushes_earlier_replies_first()
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => o with { TimeProvider = clock });
        var rules = ScenarioRules.For(options, Parse("name: x\nrules:\n  - on: RCPT\n    delay: 2m\n"));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + Rcpt + "NOOP\r\n"), Split.Whole, options, rules: rules, hanging: waiting);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!waiting.Task.IsCompleted && !run.IsCompleted)
        {
            // Fake seconds pass only while the session is still short of its next read; bounded by the real deadline.
            deadline.Token.ThrowIfCancellationRequested();
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        await waiting.Task.WaitAsync(deadline.Token);
        Assert.That(clock.GetUtcNow() - clock.Start, Is.GreaterThanOrEqualTo(TimeSpan.FromMinutes(2)), "the RCPT reply waited two minutes of the server's clock");
        clock.Advance(TimeSpan.FromMinutes(10));
        var result = await run.WaitAsync(deadline.Token);
        Assert.That(result.Codes.Take(4), Is.EqualTo(new[] { "250", "250 2.1.0", "250 2.1.5", "250 2.0.0" }));
        Assert.That(result.Writes, Is.GreaterThanOrEqualTo(3), "greeting, the replies before the delay, then the delayed ones");
    }

    [Test]
    public async Task Keyed_times_fire_once_per_key_and_again_within_the_retry_window()
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => o with { TimeProvider = clock });
        var rules = ScenarioRules.For(options, Parse("name: x\nrules:\n  - on: RCPT\n    key: [sender, recipient]\n    for: 30s\n    reply: { code: 451, enhanced: 4.7.1 }\n"));
        async Task<string> AttemptAsync(string rcpt) =>
            (await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + rcpt), options: options, rules: rules)).Codes.Last();

        Assert.That(await AttemptAsync(Rcpt), Is.EqualTo("451 4.7.1"), "first attempt");
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await AttemptAsync(Rcpt), Is.EqualTo("451 4.7.1"), "retry too soon");
        Assert.That(await AttemptAsync("RCPT TO:<other@example.com>\r\n"), Is.EqualTo("451 4.7.1"), "another key");
        clock.Advance(TimeSpan.FromSeconds(21));
        Assert.That(await AttemptAsync(Rcpt), Is.EqualTo("250 2.1.5"), "retry after the window");
        Assert.That(await AttemptAsync(Rcpt), Is.EqualTo("250 2.1.5"), "and from then on");
    }

    [Test]
    public async Task Keys_are_bounded_the_older_half_forgotten_past_the_cap()
    {
        var options = SessionDriver.Options();
        var state = new MemoryScenarioState(options.TimeProvider) { MaxKeys = 100 };
        var engine = new ScenarioEngine(Parse("name: x\nrules:\n  - on: RCPT\n    key: recipient\n    times: 1\n    reply: 451\n"), options.TimeProvider, state, "x#1");
        var session = new Session.SessionContext(1, null, options.TimeProvider.GetUtcNow(), new Session.Transcript(options.TimeProvider, 100));
        var view = engine.OpenSession();
        for (var i = 0; i < 250; i++)
        {
            var command = new Protocol.Grammar.SmtpCommand(Protocol.Grammar.SmtpVerb.Rcpt, "RCPT", "x") { Path = new Protocol.Grammar.MailPath($"r{i}", "example.com", null) };
            Assert.That(await view.DecideAsync(ScenarioPoint.Rcpt, session, command, true, CancellationToken.None), Is.Not.Null, "a new key fires once");
            Assert.That(state.Count, Is.LessThanOrEqualTo(100));
        }
    }

    [Test]
    public async Task Times_limits_how_often_a_rule_fires()
    {
        await ExpectAsync("name: x\nrules:\n  - on: NOOP\n    times: 2\n    reply: 451\n", "NOOP\r\nNOOP\r\nNOOP\r\n", "451 4.3.0", "451 4.3.0", "250 2.0.0");
    }

    [Test]
    public async Task A_seeded_probability_gives_the_same_sequence_every_time_and_first_match_wins()
    {
        const string yaml = "name: x\nseed: 7\nrules:\n  - on: NOOP\n    when: { probability: 0.5 }\n    reply: 451\n  - on: ANY\n    reply: 250\n";
        var dialog = string.Concat(Enumerable.Repeat("NOOP\r\n", 40));
        var first = await RunAsync(yaml, dialog);
        var second = await RunAsync(yaml, dialog);
        Assert.That(second.Codes, Is.EqualTo(first.Codes));
        Assert.That(first.Codes, Does.Contain("451 4.3.0").And.Contain("250 2.0.0"));
    }

    [Test]
    public async Task Unknown_and_any_points()
    {
        await ExpectAsync("name: x\nrules:\n  - on: UNKNOWN\n    reply: 502\n  - on: ANY\n    when: { nth: 3 }\n    reply: 451\n", "FOO\r\nNOOP\r\nNOOP\r\nNOOP\r\n",
            "502 5.5.1", "250 2.0.0", "451 4.3.0", "250 2.0.0");
    }

    [Test]
    public async Task Scenario_replies_do_not_count_as_bad_commands()
    {
        var options = SessionDriver.Options(o => o with { MaxBadCommands = 2 });
        var result = await RunAsync("name: x\nrules:\n  - on: NOOP\n    reply: 503\n", string.Concat(Enumerable.Repeat("NOOP\r\n", 5)), options);
        Assert.That(result.Codes, Has.Count.EqualTo(5).And.All.EqualTo("503 5.5.1"));
    }
}
