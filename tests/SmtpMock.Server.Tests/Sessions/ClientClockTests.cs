using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Tests.Harness;
using SmtpMock.Server.Tests.Scenarios;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests.Sessions;

/// <summary>
/// Time the server spends delaying its own reply never counts against the client's timeouts, and a timeout that does
/// fire is named for what the session was waiting for (issue #10, item 2).
/// </summary>
public class ClientClockTests
{
    private static async Task<DriveResult> RunWithClockAsync(string yaml, string dialog, Func<Hosting.SmtpServerOptions, Hosting.SmtpServerOptions> configure)
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => configure(o with { TimeProvider = clock }));
        var rules = ScenarioRules.For(options, ScenarioRunner.Parse(yaml));
        var run = SessionDriver.RunAsync(Splitter.Bytes(dialog), Split.Whole, options, rules: rules);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!run.IsCompleted)
        {
            // Fake seconds pass while the session waits out the rule's delay; bounded by the real deadline.
            deadline.Token.ThrowIfCancellationRequested();
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        return await run;
    }

    [Test]
    public async Task A_data_delay_longer_than_the_command_timeout_still_sends_354_then_takes_the_message()
    {
        var result = await RunWithClockAsync(
            "name: x\nrules:\n  - on: DATA\n    delay: 2m\n",
            Ehlo + Mail + Rcpt + "DATA\r\n" + Message + "QUIT\r\n",
            o => o with { CommandTimeout = TimeSpan.FromSeconds(30), DataTimeout = TimeSpan.FromSeconds(30) });
        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0" }), result.Output);
        Assert.That(result.Store.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_message_delay_longer_than_the_data_timeout_still_answers_250_without_a_421()
    {
        var result = await RunWithClockAsync(
            "name: x\nrules:\n  - on: MESSAGE\n    delay: 11m\n",
            Ehlo + Mail + Rcpt + "DATA\r\n" + Message + "QUIT\r\n",
            o => o with { CommandTimeout = TimeSpan.FromMinutes(5), DataTimeout = TimeSpan.FromMinutes(10) });
        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0" }), result.Output);
        Assert.That(result.Session.EndReason, Is.EqualTo("QUIT"));
    }

    [Test]
    public async Task After_a_delay_the_client_gets_its_full_command_timeout_again()
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => o with { TimeProvider = clock, CommandTimeout = TimeSpan.FromMinutes(5) });
        var rules = ScenarioRules.For(options, ScenarioRunner.Parse("name: x\nrules:\n  - on: NOOP\n    delay: 7m\n"));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = SessionDriver.RunAsync(Splitter.Bytes(Ehlo + "NOOP\r\n"), Split.Whole, options, rules: rules, hanging: waiting);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!waiting.Task.IsCompleted || clock.GetUtcNow() - clock.Start < TimeSpan.FromMinutes(7))
        {
            deadline.Token.ThrowIfCancellationRequested();
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.That(run.IsCompleted, Is.False, "the five minutes start after the delayed reply");
        clock.Advance(TimeSpan.FromMinutes(2));
        var result = await run.WaitAsync(deadline.Token);
        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "250 2.0.0", "421 4.4.2" }));
        Assert.That(result.Session.EndReason, Is.EqualTo("command timeout"));
    }
}
