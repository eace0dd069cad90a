using System.Net;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>Where the Mailpit-compatible API listens (<c>--mailpit-port</c>) and what its chaos draws are seeded with.</summary>
public sealed record MailpitOptions
{
    /// <summary>Loopback and Mailpit's own 8025 unless told otherwise; port 0 picks a free one.</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 8025);

    /// <summary>The seed of the <c>mailpit-chaos</c> scenario's draws (<c>--seed</c>): the same failures on every run. Null: random.</summary>
    public int? Seed { get; init; }

    /// <summary>Where our own page is, for the link on <c>/</c> (null: no page).</summary>
    public Uri? PageAddress { get; init; }
}
