using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>Turns serve's parsed flags into <see cref="SmtpServerOptions"/>, or into the CLI errors that say what to fix.</summary>
internal static class ServeOptions
{
    /// <summary>The options, or null with one message (no <c>smtpmock:</c> prefix) per problem.</summary>
    public static (SmtpServerOptions? Options, IReadOnlyList<string> Problems) Build(ParseResult parse)
    {
        var problems = new List<string>();
        var address = Resolve("--host", parse.GetValue(ServeCommand.Host)!, problems);
        var scenarios = parse.GetValue(ServeCommand.Scenario) ?? [];
        var active = parse.GetValue(ServeCommand.ScenarioName);
        if (active is not null && scenarios.Length == 0)
        {
            problems.Add($"--scenario-name {active} needs --scenario FILE|DIR to load it from (smtpmock --scenario scenarios/ --scenario-name {active})");
        }

        if (address is null || problems.Count > 0)
        {
            return (null, problems);
        }

        var options = new SmtpServerOptions
        {
            EndPoint = new IPEndPoint(address, parse.GetValue(ServeCommand.Port)),
            Hostname = parse.GetValue(ServeCommand.Hostname)!,
            StoreDirectory = parse.GetValue(ServeCommand.Store) is { } store && !SmtpMock.PostgreSql.PostgresStoreSettings.IsPostgresUri(store) ? store : null,
            StoreShared = parse.GetValue(ServeCommand.StoreShared),
            MaxMessageSize = parse.GetValue(ServeCommand.MaxMessageSize),
            MaxRecipients = parse.GetValue(ServeCommand.MaxRecipients),
            MaxCommandLineLength = parse.GetValue(ServeCommand.MaxLineLength),
            MaxDataLineLength = parse.GetValue(ServeCommand.MaxDataLineLength),
            CommandTimeout = TimeSpan.FromSeconds(parse.GetValue(ServeCommand.CommandTimeout)),
            DataTimeout = TimeSpan.FromSeconds(parse.GetValue(ServeCommand.DataTimeout)),
            DataDeadline = TimeSpan.FromSeconds(parse.GetValue(ServeCommand.DataDeadline)),
            MaxConnections = parse.GetValue(ServeCommand.MaxConnections),
            MaxConnectionsPerAddress = parse.GetValue(ServeCommand.MaxConnectionsPerIp),
            MaxBadCommands = parse.GetValue(ServeCommand.MaxBadCommands),
            MaxStoredMessages = parse.GetValue(ServeCommand.MaxMessages),
            MaxStoredBytes = parse.GetValue(ServeCommand.MaxStoreBytes),
            StrictLineEndings = parse.GetValue(ServeCommand.StrictLineEndings),
            BareLineEndingsInData = parse.GetValue(ServeCommand.BareLineEndings),
            ScenarioPaths = scenarios,
            ActiveScenario = active,
            Simulator = !parse.GetValue(SimulatorOption.NoSimulator),
        };
        problems.AddRange(options.Validate());
        return problems.Count > 0 ? (null, problems) : (options, problems);
    }

    /// <summary>An IP address as given, or a host name that resolves to an address of this machine (IPv4 first).</summary>
    internal static IPAddress? Resolve(string flag, string host, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            // Dns.GetHostAddresses("") answers this machine's addresses: an unset variable would pick one silently.
            problems.Add($"{flag} is empty: give an address such as 127.0.0.1 or 0.0.0.0 (is a variable unset?)");
            return null;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            problems.Add($"{flag} '{host}' is not an IP address and does not resolve (try 127.0.0.1, 0.0.0.0 or localhost)");
            return null;
        }

        var local = LocalAddresses();
        var usable = addresses
            .Where(a => IPAddress.IsLoopback(a) || local.Contains(a))
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .FirstOrDefault();
        if (usable is null)
        {
            problems.Add($"{flag} '{host}' resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, none of them an address of this machine (try 127.0.0.1, 0.0.0.0 or localhost)");
        }

        return usable;
    }

    private static HashSet<IPAddress> LocalAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)];
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
