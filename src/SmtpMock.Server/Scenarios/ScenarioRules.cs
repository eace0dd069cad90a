using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>Builds what sessions run with from the server's options and the active scenario, if any.</summary>
internal static class ScenarioRules
{
    public static SessionRules Plain(SmtpServerOptions options) => SessionRules.Plain(options.ForSessions());

    public static SessionRules For(SmtpServerOptions options, Scenario scenario)
    {
        var sessionOptions = options.ForSessions();
        var presented = scenario.Server;
        var engine = new ScenarioEngine(scenario, options.TimeProvider);
        return new SessionRules(new DefaultResponder(sessionOptions, presented.Hostname, presented.Greeting, presented.Extensions), engine.OpenSession);
    }
}
