using System.Net;

namespace SmtpMock.Engines.Tests.Haproxy;

/// <summary>How a TCP frontend picks a server for each new connection.</summary>
internal enum HaproxyBalance
{
    /// <summary>In turn.</summary>
    RoundRobin,

    /// <summary>The first server with a free slot (<see cref="HaproxyOptions.ServerMaxConnections"/>), then the next.</summary>
    First,
}

/// <summary>Whether HAProxy checks its servers on its own.</summary>
internal enum HaproxyHealthCheck
{
    /// <summary>No checks: a server is up until the runtime API says otherwise, and no check connection reaches it.</summary>
    None,

    /// <summary>A TCP connect every <see cref="HaproxyOptions.CheckInterval"/>; one failure takes a server out, one success brings it back.</summary>
    Tcp,
}

/// <summary>What <see cref="HaproxyEngine"/> balances and how.</summary>
internal sealed record HaproxyOptions
{
    /// <summary>The TCP (SMTP) servers behind the main frontend, named s0, s1, ... in this order.</summary>
    public required IReadOnlyList<IPEndPoint> Backends { get; init; }

    public HaproxyBalance Balance { get; init; } = HaproxyBalance.RoundRobin;

    /// <summary>Each TCP connection to a server starts with a PROXY protocol v2 header carrying the client's address.</summary>
    public bool SendProxyV2 { get; init; }

    public HaproxyHealthCheck HealthCheck { get; init; } = HaproxyHealthCheck.None;

    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A server's connection limit (HAProxy's per-server maxconn); what <see cref="HaproxyBalance.First"/> fills up.</summary>
    public int? ServerMaxConnections { get; init; }

    /// <summary>HTTP servers (the API) behind an HTTP frontend balancing requests in turn, named a0, a1, ...; none: no HTTP frontend.</summary>
    public IReadOnlyList<IPEndPoint> HttpBackends { get; init; } = [];
}
