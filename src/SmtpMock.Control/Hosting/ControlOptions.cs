using System.Net;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Hosting;

/// <summary>Where the control plane listens and whether it asks for a token.</summary>
public sealed record ControlOptions
{
    /// <summary>Loopback by default: another interface (0.0.0.0 for Docker) only when asked.</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 8025);

    /// <summary>When set, every endpoint but /healthz and the page's static files needs <c>Authorization: Bearer</c> with it.</summary>
    public string? ApiToken { get; init; }

    /// <summary>How long a wait endpoint may be asked to wait at most.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Events buffered for one slow events reader before it is dropped.</summary>
    public int EventBuffer { get; init; } = 4096;

    /// <summary>Where <c>POST /api/v1/messages/{id}/release</c> sends a captured message; null: releasing is off.</summary>
    public RelayTarget? Relay { get; init; }
}
