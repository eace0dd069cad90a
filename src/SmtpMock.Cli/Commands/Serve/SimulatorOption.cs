using System.CommandLine;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// <c>--no-simulator</c>: turns off the failure addresses at <c>smtpmock.test</c> (<c>503@smtpmock.test</c> and the
/// like), which are on by default so an app's error path can be tried without a scenario file.
/// </summary>
internal static class SimulatorOption
{
    public static readonly Option<bool> NoSimulator = new("--no-simulator")
    {
        Description = "Turn off the failure addresses (503@smtpmock.test gets 503, 552-data@smtpmock.test a 552 after DATA...)",
    };
}
