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

    /// <summary>
    /// Host names this server answers to besides IP addresses, <c>localhost</c> and <c>*.localhost</c>
    /// (<c>--http-allowed-host</c>, and <c>--http-host</c> when it is a name); <c>*.example.test</c> allows the names
    /// under a domain. Any other Host is refused with 421: a page on another site that rebinds its name to this address
    /// (DNS rebinding) must never read captured mail.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Event streams (<c>/api/v1/events</c>) open at once; one more gets 503.</summary>
    public int MaxEventStreams { get; init; } = 100;

    /// <summary>Wait calls (<c>/messages/wait</c>, <c>/sessions/wait</c>) open at once; one more gets 503.</summary>
    public int MaxWaits { get; init; } = 100;

    /// <summary>The largest request body, in octets: a larger one is refused with 413 before it is read.</summary>
    public long MaxRequestBody { get; init; } = 35 * 1024 * 1024;

    /// <summary>How long a request body may trickle in below 240 octets a second before 408 (Kestrel's default, 5 s; tests shorten it).</summary>
    internal TimeSpan SlowBodyGrace { get; init; } = TimeSpan.FromSeconds(5);
}
