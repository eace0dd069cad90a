using System.CommandLine;
using SmtpMock.Protocol.Framing;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>The <c>serve</c> command's definition: its options and defaults.</summary>
internal static class ServeCommand
{
    public const string Name = "serve";

    public static readonly Option<string> Host = new("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
    public static readonly Option<int> Port = new("--port", "-p") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 2525 };
    public static readonly Option<string> Hostname = new("--hostname") { Description = "Name in the greeting and EHLO reply", DefaultValueFactory = _ => "localhost" };
    public static readonly Option<DirectoryInfo?> Store = new("--store") { Description = "Also write each message to DIR as <id>.eml and <id>.json" };
    public static readonly Option<long> MaxMessageSize = new("--max-message-size") { Description = "SIZE limit in octets", DefaultValueFactory = _ => 35L * 1024 * 1024 };
    public static readonly Option<int> MaxRecipients = new("--max-recipients") { Description = "Recipients per message before 452 4.5.3", DefaultValueFactory = _ => 100 };
    public static readonly Option<int> MaxLineLength = new("--max-line-length") { Description = "Longest command line in octets, CRLF included (MAIL gets 526 more)", DefaultValueFactory = _ => 512 };
    public static readonly Option<int> MaxDataLineLength = new("--max-data-line-length") { Description = "Longest DATA line in octets, CRLF included", DefaultValueFactory = _ => 1000 };
    public static readonly Option<int> CommandTimeout = new("--command-timeout") { Description = "Seconds a client may take per command before 421 4.4.2", DefaultValueFactory = _ => 300 };
    public static readonly Option<int> DataTimeout = new("--data-timeout") { Description = "Seconds of silence allowed inside DATA/BDAT before 421 4.4.2", DefaultValueFactory = _ => 600 };
    public static readonly Option<int> MaxConnections = new("--max-connections") { Description = "Sessions at once; one more gets 421 4.7.0", DefaultValueFactory = _ => 1000 };
    public static readonly Option<int> MaxBadCommands = new("--max-bad-commands") { Description = "Bad commands per session before 421 4.7.0", DefaultValueFactory = _ => 20 };
    public static readonly Option<int> MaxMessages = new("--max-messages") { Description = "Messages kept in memory (oldest dropped first)", DefaultValueFactory = _ => 1000 };
    public static readonly Option<bool> StrictLineEndings = new("--strict-line-endings") { Description = "Refuse command lines ended by a bare LF (default: accept, for telnet)" };
    public static readonly Option<BareLineEndingPolicy> BareLineEndings = new("--bare-line-endings") { Description = "Bare CR/LF inside DATA: Normalize, Keep or Reject", DefaultValueFactory = _ => BareLineEndingPolicy.Normalize };
    public static readonly Option<string[]> Scenario = new("--scenario", "-s") { Description = "Scenario file or folder of *.yaml files (repeatable); watched for changes" };
    public static readonly Option<string?> ScenarioName = new("--scenario-name") { Description = "Which loaded scenario is active (default: the first file's)" };
    public static readonly Option<LogLevelName> LogLevel = new("--log-level") { Description = "Information: one line per session; Debug: every line", DefaultValueFactory = _ => LogLevelName.Information };

    public static Command Create() => AddTo(new Command(Name, "Run the SMTP server (the default when no command is given)"));

    /// <summary>Gives a command serve's options and action: the root command is serve too.</summary>
    public static T AddTo<T>(T command)
        where T : Command
    {
        foreach (var option in new Option[]
                 {
                     Host, Port, Hostname, Store, MaxMessageSize, MaxRecipients, MaxLineLength, MaxDataLineLength,
                     CommandTimeout, DataTimeout, MaxConnections, MaxBadCommands, MaxMessages, StrictLineEndings,
                     BareLineEndings, Scenario, ScenarioName, LogLevel,
                 })
        {
            command.Options.Add(option);
        }

        foreach (var option in TlsOptions.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(ServeAction.RunAsync);
        return command;
    }
}

/// <summary>The log levels the CLI offers.</summary>
internal enum LogLevelName
{
    Debug,
    Information,
    Warning,
    Error,
}
