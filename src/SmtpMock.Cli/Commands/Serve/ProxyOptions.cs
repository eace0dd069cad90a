using System.CommandLine;
using System.Net;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// serve's PROXY protocol (docs/scale-out.md): <c>--proxy-protocol</c> requires HAProxy's v1 or v2 header before the
/// greeting, <c>--proxy-protocol-from CIDR</c> (repeatable; loopback by default) names the balancers trusted to send it.
/// </summary>
internal static class ProxyOptions
{
    private static readonly ProxyProtocolOptions Defaults = new();

    public static readonly Option<bool> ProxyProtocol = new("--proxy-protocol") { Description = "Require a PROXY protocol v1/v2 header (HAProxy send-proxy, send-proxy-v2) before the greeting: its source is the client in rules, limits, transcripts and messages; any other connection is closed" };
    public static readonly Option<string[]> From = new("--proxy-protocol-from") { Description = $"Network trusted to send the PROXY header, e.g. 10.0.0.0/8 or one address (repeatable; default {string.Join(" and ", Defaults.From)})", HelpName = "CIDR" };

    public static IEnumerable<Option> All => [ProxyProtocol, From];

    /// <summary>
    /// <paramref name="options"/> with the PROXY protocol as asked, or unchanged with <paramref name="error"/> saying
    /// what is wrong (a network that does not parse, or networks given without <c>--proxy-protocol</c>).
    /// </summary>
    public static SmtpServerOptions Apply(ParseResult parse, SmtpServerOptions options, out string? error)
    {
        error = null;
        var networks = parse.GetValue(From) ?? [];
        if (!parse.GetValue(ProxyProtocol))
        {
            error = networks.Length > 0 ? "smtpmock: --proxy-protocol-from names who may send a PROXY header: give --proxy-protocol too" : null;
            return options;
        }

        var from = new List<IPNetwork>();
        foreach (var text in networks)
        {
            if (Network(text) is not { } network)
            {
                error = $"smtpmock: --proxy-protocol-from '{text}' is not a network: give CIDR with the host bits zero (10.0.0.0/8, fd00::/8) or one address (10.0.0.5)";
                return options;
            }

            from.Add(network);
        }

        return options with { ProxyProtocol = from.Count == 0 ? Defaults : Defaults with { From = from } };
    }

    /// <summary>The console line at start, or null when the PROXY protocol is off.</summary>
    public static string? Summary(SmtpServerOptions options) => options.ProxyProtocol is { } proxy
        ? $"PROXY protocol: required before the greeting, trusted from {string.Join(", ", proxy.From)}; other connections are closed and logged"
        : null;

    private static IPNetwork? Network(string text)
    {
        // .NET takes 10.0.0.1/8 as 10.0.0.0/8, dropping the host bits; such a typo is refused, not guessed at.
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (IPNetwork.TryParse(text, out var network))
        {
            return slash > 0 && IPAddress.TryParse(text.AsSpan(0, slash), out var given) && given.Equals(network.BaseAddress) ? network : null;
        }

        return slash < 0 && IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
            : null;
    }
}
