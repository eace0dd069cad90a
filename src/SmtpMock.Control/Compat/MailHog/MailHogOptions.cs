using System.Net;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>Where MailHog's API listens (<c>--mailhog-port</c>) and what it shares with the main HTTP side.</summary>
public sealed record MailHogOptions
{
    /// <summary>Where to listen; port 0 picks a free one.</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 8025);

    /// <summary>
    /// The main HTTP side's settings this port follows too: the token, the host names it answers to, the relay a
    /// release may go to, the body and event stream limits. Its own <see cref="ControlOptions.EndPoint"/> is not used.
    /// </summary>
    public ControlOptions Http { get; init; } = new();

    /// <summary>The seed of the <c>mailhog-jim</c> scenario's draws: the same failures on every run. Null: random draws.</summary>
    public int? Seed { get; init; }

    /// <summary>SmtpMock's own page, linked from <c>/</c> on this port; null when it is not served (<c>--no-http</c>).</summary>
    public Uri? Page { get; init; }
}
