using System.Net;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary>Runs the CLI in-process with captured output, and starts servers for the client commands to talk to.</summary>
internal static class CommandRun
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SmtpMockCli.RunAsync(args, output, error).WaitAsync(TimeSpan.FromSeconds(60));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>An in-process server on 127.0.0.1, port 0, with the scenario given as YAML (or none).</summary>
    public static async Task<SmtpMockServer> StartServerAsync(string? scenarioYaml = null, string? storeDirectory = null)
    {
        var server = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), StoreDirectory = storeDirectory });
        if (scenarioYaml is not null)
        {
            var (scenario, problems) = ScenarioLoader.Parse(scenarioYaml, "inline.yaml");
            Assert.That(problems, Is.Empty, "the test's own scenario is valid");
            server.Scenarios.Activate(scenario);
        }

        await server.StartAsync();
        return server;
    }

    public static string Text(this int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
