using System.CommandLine;
using System.Net;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>Turns serve's parsed flags into <see cref="SmtpServerOptions"/>, or into the CLI errors that say what to fix.</summary>
internal static class ServeOptions
{
    /// <summary>The options, or null with one message (no <c>smtpmock:</c> prefix) per problem.</summary>
    public static (SmtpServerOptions? Options, IReadOnlyList<string> Problems) Build(ParseResult parse)
    {
        var problems = new List<string>();
        var host = parse.GetValue(ServeCommand.Host)!;
        if (!IPAddress.TryParse(host, out var address))
        {
            problems.Add($"--host '{host}' is not an IP address (try 127.0.0.1 or 0.0.0.0)");
        }

        var port = parse.GetValue(ServeCommand.Port);
        if (port is < 0 or > 65535)
        {
            problems.Add($"--port {port} is outside 0-65535");
        }

        if (address is null || problems.Count > 0)
        {
            return (null, problems);
        }

        var options = new SmtpServerOptions
        {
            EndPoint = new IPEndPoint(address, port),
            Hostname = parse.GetValue(ServeCommand.Hostname)!,
            StoreDirectory = parse.GetValue(ServeCommand.Store)?.FullName,
            MaxMessageSize = parse.GetValue(ServeCommand.MaxMessageSize),
            MaxRecipients = parse.GetValue(ServeCommand.MaxRecipients),
            MaxCommandLineLength = parse.GetValue(ServeCommand.MaxLineLength),
            MaxDataLineLength = parse.GetValue(ServeCommand.MaxDataLineLength),
            CommandTimeout = TimeSpan.FromSeconds(parse.GetValue(ServeCommand.CommandTimeout)),
            DataTimeout = TimeSpan.FromSeconds(parse.GetValue(ServeCommand.DataTimeout)),
            MaxConnections = parse.GetValue(ServeCommand.MaxConnections),
            MaxBadCommands = parse.GetValue(ServeCommand.MaxBadCommands),
            MaxStoredMessages = parse.GetValue(ServeCommand.MaxMessages),
            StrictLineEndings = parse.GetValue(ServeCommand.StrictLineEndings),
            BareLineEndingsInData = parse.GetValue(ServeCommand.BareLineEndings),
            ScenarioPaths = parse.GetValue(ServeCommand.Scenario) ?? [],
            ActiveScenario = parse.GetValue(ServeCommand.ScenarioName),
        };
        problems.AddRange(options.Validate());
        return problems.Count > 0 ? (null, problems) : (options, problems);
    }
}
