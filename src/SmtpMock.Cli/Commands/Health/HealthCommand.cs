using System.CommandLine;

namespace SmtpMock.Cli.Commands.Health;

/// <summary>The <c>health</c> command: the container's HEALTHCHECK, usable against any SMTP server.</summary>
internal static class HealthCommand
{
    public static readonly Option<string> Host = new("--host") { Description = "Server to check", HelpName = "HOST", DefaultValueFactory = _ => "127.0.0.1" };
    public static readonly Option<int> Port = OptionParsers.Port("--port", "Its SMTP port", 2525, 1, "-p");
    public static readonly Option<double> Timeout = OptionParsers.Number("--timeout", "SECONDS", "Seconds to wait for the 220 greeting", 2.0, 0.1, 300.0);

    public static Command Create()
    {
        var command = new Command("health", "Connect, expect a 220 greeting in time, send QUIT: exit 0 when healthy, 1 when not");
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(Timeout);
        command.SetAction(HealthAction.RunAsync);
        return command;
    }
}
