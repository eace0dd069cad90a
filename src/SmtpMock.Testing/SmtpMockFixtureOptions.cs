using System.Net;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Testing;

/// <summary>
/// How <see cref="SmtpMockFixture.StartAsync(Action{SmtpMockFixtureOptions}?, CancellationToken)"/> starts its
/// server. The defaults suit a test: loopback and a free port, so any number of fixtures run side by side.
/// </summary>
public sealed class SmtpMockFixtureOptions
{
    /// <summary>The address to listen on; loopback keeps the mock off the network.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>0 (the default) picks a free port: read it back from <see cref="SmtpMockFixture.Port"/>.</summary>
    public int Port { get; set; }

    /// <summary>The name in the greeting and the EHLO reply.</summary>
    public string Hostname { get; set; } = "localhost";

    /// <summary>The scenario active from the start; null for a correct server.</summary>
    public Scenario? Scenario { get; set; }

    /// <summary>Where the server logs (nothing by default).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Any other server option (limits, timeouts, a store directory), applied last.</summary>
    public Func<SmtpServerOptions, SmtpServerOptions>? Server { get; set; }

    /// <summary>Starts with the scenario in this YAML file (checked now: every problem is reported at once).</summary>
    public SmtpMockFixtureOptions UseScenarioFile(string path)
    {
        Scenario = ScenarioSource.FromFile(path);
        return this;
    }

    /// <summary>Starts with the scenario in this YAML text, in the format of docs/scenarios.md.</summary>
    public SmtpMockFixtureOptions UseScenarioYaml(string yaml)
    {
        Scenario = ScenarioSource.FromYaml(yaml);
        return this;
    }

    /// <summary>Starts with a scenario built in C#.</summary>
    public SmtpMockFixtureOptions UseScenario(Action<ScenarioBuilder> build)
    {
        Scenario = ScenarioSource.Build(build);
        return this;
    }

    internal SmtpServerOptions ToServerOptions()
    {
        var options = new SmtpServerOptions
        {
            EndPoint = new IPEndPoint(Address, Port),
            Hostname = Hostname,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        };
        return Server is null ? options : Server(options);
    }
}
