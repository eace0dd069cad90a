using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Builds what sessions run with from the server's options, the active scenario, if any, and the failure-address
/// simulator, if on: the scenario is asked first, the simulator only where no scenario rule fired.
/// </summary>
internal static class ScenarioRules
{
    /// <summary>The correct server with the simulator (if on) over state of its own: tests, the fuzzer, the benchmark.</summary>
    public static SessionRules Plain(SmtpServerOptions options) => Plain(options, FailureAddresses.For(options, new MemoryScenarioState(options.TimeProvider)));

    /// <param name="options">The server's options.</param>
    /// <param name="simulator">The server's one simulator (its greylisting outlives a change of scenario), or null when off.</param>
    public static SessionRules Plain(SmtpServerOptions options, FailureAddresses? simulator)
    {
        var plain = SessionRules.Plain(SessionOptions.From(options));
        return simulator is null ? plain : plain with { OpenScenario = () => simulator };
    }

    /// <summary>A scenario over state of its own (tests, the fuzzer).</summary>
    public static SessionRules For(SmtpServerOptions options, Scenario scenario)
    {
        var state = new MemoryScenarioState(options.TimeProvider);
        return For(options, scenario, state, FailureAddresses.For(options, state), "test", out _);
    }

    /// <param name="options">The server's options.</param>
    /// <param name="scenario">The active scenario.</param>
    /// <param name="state">The state its counters and keys live in.</param>
    /// <param name="simulator">The server's one simulator, or null when off.</param>
    /// <param name="activation">This activation's name in the state: a new activation counts from zero.</param>
    /// <param name="engine">The scenario's engine, which counts how often each rule fired.</param>
    public static SessionRules For(SmtpServerOptions options, Scenario scenario, IScenarioState state, FailureAddresses? simulator, string activation, out ScenarioEngine engine)
    {
        var sessionOptions = scenario.Auth?.ApplyTo(SessionOptions.From(options)) ?? SessionOptions.From(options);
        var presented = scenario.Server;
        engine = new ScenarioEngine(scenario, options.TimeProvider, state, activation);
        var opened = engine;
        Func<IScenarioSession> open = simulator is null ? opened.OpenSession : () => new ScenarioChain(opened.OpenSession(), simulator);
        return new SessionRules(new DefaultResponder(sessionOptions, presented.Hostname, presented.Greeting, presented.Extensions), open);
    }
}
