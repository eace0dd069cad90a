using System.CommandLine;

namespace SmtpMock.Cli.Commands.Health;

/// <summary>The <c>health</c> command: the container's HEALTHCHECK, usable against any SMTP server.</summary>
internal static class HealthCommand
{
    public static readonly Option<string> Host = new("--host") { Description = "Server to check", DefaultValueFactory = _ => "127.0.0.1" };
    public static readonly Option<int> Port = new("--port", "-p") { Description = "Its SMTP port", DefaultValueFactory = _ => 2525 };
    public static readonly Option<double> Timeout = new("--timeout") { Description = "Seconds to wait for the 220 greeting", DefaultValueFactory = _ => 2 };

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
