using System.Net;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// HAProxy's PROXY protocol (v1 or v2) in front of every connection (<see cref="SmtpServerOptions.ProxyProtocol"/>):
/// a load balancer tells the real client's address before the greeting, so keyed rules, per-address limits,
/// transcripts and captured messages see the client instead of the balancer. Only peers in <see cref="From"/> may
/// send it; any other connection, and one whose header is missing, malformed or late, is closed ungreeted with one
/// log line. Its own record so that <see cref="SmtpServerOptions"/> keeps to one concern per file.
/// </summary>
public sealed record ProxyProtocolOptions
{
    /// <summary>The networks a PROXY header is trusted from: the load balancers. Loopback by default.</summary>
    public IReadOnlyList<IPNetwork> From { get; init; } = [new(IPAddress.Loopback, 8), new(IPAddress.IPv6Loopback, 128)];

    /// <summary>
    /// How long a trusted peer may take to send a complete header before the connection is closed; short, as Postfix's
    /// <c>smtpd_upstream_proxy_timeout</c> (5 s): a balancer sends it at once, with the connection.
    /// </summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <paramref name="peer"/> (an IPv4-mapped IPv6 address counts as its IPv4 address) is in <see cref="From"/>.</summary>
    public bool Trusts(IPAddress? peer)
    {
        if (peer is null)
        {
            return false;
        }

        var plain = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        foreach (var network in From)
        {
            if (network.Contains(plain) || network.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }

    internal void Validate(List<string> problems)
    {
        if (From.Count == 0)
        {
            problems.Add("PROXY protocol needs at least one network to trust it from (every connection would be refused)");
        }

        if (HeaderTimeout <= TimeSpan.Zero || HeaderTimeout > SmtpServerOptions.MaxTimeout)
        {
            problems.Add("the PROXY header timeout must be positive and at most 49 days");
        }
    }
}
