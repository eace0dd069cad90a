using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;
using static SmtpMock.Server.Tests.Scenarios.ScenarioRunner;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>A scenario state that cannot answer (Redis down): the command whose rule needed it gets 451, nothing more.</summary>
public class StateOutageTests
{
    private const string Keyed = "name: keyed\nrules:\n  - on: RCPT\n    key: recipient\n    times: 1\n    reply: { code: 450, enhanced: 4.7.1 }\n";

    [Test]
    public async Task The_command_whose_keyed_rule_needs_a_state_that_is_down_gets_451_naming_it_and_the_session_goes_on()
    {
        var state = new FlakyState { Down = true };
        var options = SessionDriver.Options();
        var rules = ScenarioRules.For(options, Parse(Keyed), state, null, "keyed#1", out _);

        var result = await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + Rcpt + "NOOP\r\nQUIT\r\n"), options: options, rules: rules);

        Assert.That(result.Lines, Does.Contain("451 4.3.0 Scenario state fake://down unavailable; try again later"), result.Output);
        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "250 2.1.0", "451 4.3.0", "250 2.0.0", "221 2.0.0" }), "MAIL and NOOP match no keyed rule; the session goes on to QUIT");
        Assert.That(state.Calls, Is.EqualTo(1), "only the RCPT, which a keyed rule watches, asked the state");
        Assert.That(result.Session.EndReason, Is.EqualTo("QUIT"));
    }

    [Test]
    public async Task Once_the_state_is_back_the_same_rule_decides_from_it_again()
    {
        var state = new FlakyState { Down = true };
        var options = SessionDriver.Options();
        var rules = ScenarioRules.For(options, Parse(Keyed), state, null, "keyed#1", out _);
        async Task<string> AttemptAsync() => (await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + Rcpt), options: options, rules: rules)).Codes.Last();

        Assert.That(await AttemptAsync(), Is.EqualTo("451 4.3.0"), "down");
        state.Down = false;
        Assert.That(await AttemptAsync(), Is.EqualTo("450 4.7.1"), "back: the key's first hit fires the rule");
        Assert.That(await AttemptAsync(), Is.EqualTo("250 2.1.5"), "its second passes (times: 1)");
    }

    [Test]
    public async Task A_greeting_rule_that_needs_the_state_closes_with_421_instead()
    {
        var state = new FlakyState { Down = true };
        var options = SessionDriver.Options();
        var scenario = Parse("name: third\nrules:\n  - on: CONNECT\n    when: { nth: 3, per: server }\n    reply: 554\n");
        var rules = ScenarioRules.For(options, scenario, state, null, "third#1", out _);

        var result = await SessionDriver.RunAsync(Splitter.Bytes(Ehlo), options: options, rules: rules);

        Assert.That(result.Lines, Is.EqualTo(new[] { "421 Scenario state fake://down unavailable; closing, try again later" }));
    }

    [Test]
    public async Task The_failure_addresses_greylisting_answers_451_too_while_other_recipients_pass()
    {
        var state = new FlakyState { Down = true };
        var options = SessionDriver.Options();
        var rules = ScenarioRules.Plain(options, FailureAddresses.For(options, state));

        var result = await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + "RCPT TO:<greylist@smtpmock.test>\r\n" + Rcpt), options: options, rules: rules);

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "250 2.1.0", "451 4.3.0", "250 2.1.5" }));
        Assert.That(state.Calls, Is.EqualTo(1));
    }

    /// <summary>Memory state that throws as a Redis state does while its engine is down, and counts what was asked of it.</summary>
    private sealed class FlakyState : IScenarioState
    {
        private readonly MemoryScenarioState _memory = new();
        private int _calls;

        public bool Down { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public string Description => "fake://down";

        public event Action<SharedScenario>? ScenarioChanged
        {
            add => _memory.ScenarioChanged += value;
            remove => _memory.ScenarioChanged -= value;
        }

        public async ValueTask<long> IncrementAsync(string counter, CancellationToken cancellationToken)
        {
            await EnterAsync();
            return await _memory.IncrementAsync(counter, cancellationToken);
        }

        public async ValueTask<KeyHits> HitAsync(string key, TimeSpan keep, CancellationToken cancellationToken)
        {
            await EnterAsync();
            return await _memory.HitAsync(key, keep, cancellationToken);
        }

        public ValueTask ResetAsync(CancellationToken cancellationToken) => _memory.ResetAsync(cancellationToken);

        public ValueTask<SharedScenario?> GetScenarioAsync(CancellationToken cancellationToken) => _memory.GetScenarioAsync(cancellationToken);

        public ValueTask<SharedScenario> SetScenarioAsync(string? name, string? yaml, string setBy, CancellationToken cancellationToken) =>
            _memory.SetScenarioAsync(name, yaml, setBy, cancellationToken);

        public ValueTask DisposeAsync() => _memory.DisposeAsync();

        /// <summary>Yields first, as a network call does, so the failure arrives asynchronously.</summary>
        private async Task EnterAsync()
        {
            Interlocked.Increment(ref _calls);
            await Task.Yield();
            if (Down)
            {
                throw new ScenarioStateUnavailableException(Description, "connection refused", null);
            }
        }
    }
}
