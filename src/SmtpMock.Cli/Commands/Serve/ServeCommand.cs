using System.CommandLine;
using SmtpMock.Protocol.Framing;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// The <c>serve</c> command's definition: its options, with the defaults of <see cref="SmtpServerOptions"/> (one
/// source for the library and the CLI) and the placeholders <c>--help</c> shows.
/// </summary>
internal static class ServeCommand
{
    public const string Name = "serve";

    // First: the options below read these while the class initializes.
    private static readonly SmtpServerOptions Defaults = new();
    private static readonly int MaxTimeoutSeconds = (int)SmtpServerOptions.MaxTimeout.TotalSeconds;

    public static readonly Option<string> Host = new("--host") { Description = "Address or local host name to listen on (0.0.0.0: every interface)", HelpName = "ADDRESS", DefaultValueFactory = _ => Defaults.EndPoint.Address.ToString() };
    public static readonly Option<int> Port = OptionParsers.Port("--port", "Port to listen on (0 picks a free one)", Defaults.EndPoint.Port, "-p");
    public static readonly Option<string> Hostname = new("--hostname") { Description = "Name in the greeting and EHLO reply", HelpName = "NAME", DefaultValueFactory = _ => Defaults.Hostname };
    public static readonly Option<string?> Store = new("--store") { Description = "Keep captured mail in DIR as <id>.eml and <id>.json (and load those already there; private to you: 0700, files 0600), or mail and sessions in PostgreSQL shared by every instance pointed at it: postgresql://USER@HOST:PORT/DB (password in the URI or SMTPMOCK_STORE_PASSWORD)", HelpName = "DIR|URI", CustomParser = StorePath };
    public static readonly Option<bool> StoreShared = new("--store-shared") { Description = "Let other local users read the --store folder (0755, files 0644), e.g. a test runner under another user" };
    public static readonly Option<long> MaxMessageSize = OptionParsers.Number("--max-message-size", "OCTETS", "SIZE limit in octets", Defaults.MaxMessageSize, 1, long.MaxValue);
    public static readonly Option<int> MaxRecipients = OptionParsers.Number("--max-recipients", "N", "Recipients per message before 452 4.5.3", Defaults.MaxRecipients, 1, int.MaxValue);
    public static readonly Option<int> MaxLineLength = OptionParsers.Number("--max-line-length", "OCTETS", "Longest command line in octets, CRLF included (MAIL gets 526 more)", Defaults.MaxCommandLineLength, 512, int.MaxValue, minWhy: " (RFC 5321 §4.5.3.1.4)");
    public static readonly Option<int> MaxDataLineLength = OptionParsers.Number("--max-data-line-length", "OCTETS", "Longest DATA line in octets, CRLF included", Defaults.MaxDataLineLength, 1000, int.MaxValue, minWhy: " (RFC 5321 §4.5.3.1.6)");
    public static readonly Option<int> CommandTimeout = OptionParsers.Number("--command-timeout", "SECONDS", "Seconds a client may take per command before 421 4.4.2", (int)Defaults.CommandTimeout.TotalSeconds, 1, MaxTimeoutSeconds, maxWhy: " (49 days)");
    public static readonly Option<int> DataTimeout = OptionParsers.Number("--data-timeout", "SECONDS", "Seconds of silence allowed inside DATA/BDAT before 421 4.4.2", (int)Defaults.DataTimeout.TotalSeconds, 1, MaxTimeoutSeconds, maxWhy: " (49 days)");
    public static readonly Option<int> DataDeadline = OptionParsers.Number("--data-deadline", "SECONDS", "Seconds one message may take in all, however slowly it trickles in, before 421 4.4.2", (int)Defaults.DataDeadline.TotalSeconds, 1, MaxTimeoutSeconds, maxWhy: " (49 days)");
    public static readonly Option<int> MaxConnections = OptionParsers.Number("--max-connections", "N", "Sessions at once; one more gets 421 4.7.0", Defaults.MaxConnections, 1, int.MaxValue);
    public static readonly Option<int> MaxConnectionsPerIp = OptionParsers.Number("--max-connections-per-ip", "N", "Sessions at once from one client address (loopback too); one more gets 421 4.7.0", Defaults.MaxConnectionsPerAddress, 1, int.MaxValue);
    public static readonly Option<int> MaxBadCommands = OptionParsers.Number("--max-bad-commands", "N", "Bad commands per session before 421 4.7.0", Defaults.MaxBadCommands, 1, int.MaxValue);
    public static readonly Option<int> MaxMessages = OptionParsers.Number("--max-messages", "N", "Messages kept (oldest dropped first); with PostgreSQL, in the whole store", Defaults.MaxStoredMessages, 1, int.MaxValue);
    public static readonly Option<long> MaxStoreBytes = OptionParsers.Number("--max-store-bytes", "OCTETS", "Octets of message content kept (oldest dropped first); with PostgreSQL, in the whole store", Defaults.MaxStoredBytes, 1, long.MaxValue);
    public static readonly Option<bool> StrictLineEndings = new("--strict-line-endings") { Description = "Refuse command lines ended by a bare LF (default: accept, for telnet)" };
    public static readonly Option<BareLineEndingPolicy> BareLineEndings = OptionParsers.Choice("--bare-line-endings", "What a bare CR or LF inside DATA becomes", Defaults.BareLineEndingsInData);
    public static readonly Option<string[]> Scenario = new("--scenario", "-s") { Description = "Scenario file or folder of *.yaml files (repeatable); watched for changes", HelpName = "FILE|DIR" };
    public static readonly Option<string?> ScenarioName = new("--scenario-name") { Description = "Which loaded scenario is active (default: the first file's)", HelpName = "NAME" };
    public static readonly Option<LogLevelName> LogLevel = OptionParsers.Choice("--log-level", "Information: one line per session; Debug: every line", LogLevelName.Information);

    public static Command Create() => AddTo(new Command(Name, "Run the SMTP server (the default when no command is given)"));

    /// <summary>Gives a command serve's options and action: the root command is serve too.</summary>
    public static T AddTo<T>(T command)
        where T : Command
    {
        foreach (var option in new Option[]
                 {
                     Host, Port, Hostname, Store, StoreShared, MaxMessageSize, MaxRecipients, MaxLineLength, MaxDataLineLength,
                     CommandTimeout, DataTimeout, DataDeadline, MaxConnections, MaxConnectionsPerIp, MaxBadCommands, MaxMessages, MaxStoreBytes, StrictLineEndings,
                     BareLineEndings, Scenario, ScenarioName, LogLevel, SimulatorOption.NoSimulator, BounceToOption.BounceTo, ListenOption.Listen,
                 })
        {
            command.Options.Add(option);
        }

        HttpOptions.AddTo(command);
        MailHogOptions.AddTo(command);
        foreach (var option in RelayOptions.All)
        {
            command.Options.Add(option);
        }

        foreach (var option in ClusterOptions.All)
        {
            command.Options.Add(option);
        }

        foreach (var option in WebhookOptions.All)
        {
            command.Options.Add(option);
        }

        foreach (var option in TlsOptions.All.Concat(MailpitOptions.All))
        {
            command.Options.Add(option);
        }

        foreach (var option in ProxyOptions.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(ServeAction.RunAsync);
        return command;
    }

    /// <summary>A PostgreSQL URI as given, or a folder as its full path; an empty value or an unusable path is refused.</summary>
    private static string? StorePath(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            result.AddError("--store is empty: give a folder or a postgresql:// URI (is a variable unset?)");
            return null;
        }

        if (SmtpMock.PostgreSql.PostgresStoreSettings.IsPostgresUri(text))
        {
            return text;
        }

        try
        {
            return new DirectoryInfo(text).FullName;
        }
        catch (ArgumentException)
        {
            result.AddError($"--store '{text}' is not a usable path");
            return null;
        }
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
