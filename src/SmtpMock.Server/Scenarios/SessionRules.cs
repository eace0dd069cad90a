using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// What a session runs with, taken once when it starts: the server's own responder (presented as the active
/// scenario says) and the scenario engine, if a scenario is active. A scenario reloaded later applies to new
/// sessions; a session in progress keeps the rules it began with.
/// </summary>
public sealed record SessionRules(DefaultResponder Responder, ScenarioEngine? Engine)
{
    public static SessionRules Plain(SmtpServerOptions options) => new(new DefaultResponder(options), null);

    public static SessionRules For(SmtpServerOptions options, Scenario scenario) =>
        new(new DefaultResponder(options, scenario.Server), new ScenarioEngine(scenario, options.TimeProvider));
}
