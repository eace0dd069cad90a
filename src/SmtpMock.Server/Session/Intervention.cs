using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// What a scenario rule that fired asks of the session: its reply (<see cref="Reply"/> null and no
/// <see cref="Raw"/>: the server's own), raw bytes, silence, a delay, a close.
/// </summary>
internal sealed record Intervention(string Rule, int Line)
{
    public SmtpReply? Reply { get; init; }

    /// <summary>Bytes sent exactly as they are, even when they are not a valid reply.</summary>
    public byte[]? Raw { get; init; }

    /// <summary>No reply at all: the connection closes.</summary>
    public bool Silent { get; init; }

    public TimeSpan Delay { get; init; }

    public bool Close { get; init; }

    /// <summary>At MESSAGE: what to send back about an accepted message later (<c>after:</c>), or null.</summary>
    public Aftermath.AftermathPlan? After { get; init; }
}
