using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// What a scenario rule that fired asks of the session: its reply (<see cref="Reply"/> null and no
/// <see cref="Raw"/>: the server's own), raw bytes, silence, a delay, a close, and the faults of a real network path: a
/// hang, a reset, a slow or fragmented link, a broken TLS upgrade.
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

    /// <summary>After the reply (or in its place, when <see cref="Silent"/>): read and discard, never answer, never close.</summary>
    public bool Hang { get; init; }

    /// <summary>Close with a TCP RST (linger 0) after the reply (or in its place, when <see cref="Silent"/>).</summary>
    public bool Reset { get; init; }

    /// <summary>From this reply on, the session's replies go out at this many octets a second.</summary>
    public int? Throttle { get; init; }

    /// <summary>From this reply on, each reply goes out a few octets per write, flushed between.</summary>
    public bool Fragment { get; init; }

    /// <summary>At EHLO: extensions this session does without (the server's own reply, filtered).</summary>
    public ExtensionLimits? Limits { get; init; }

    /// <summary>At STARTTLS: how the handshake after the 220 goes wrong.</summary>
    public TlsFault Tls { get; init; }
}

/// <summary>A STARTTLS that fails on purpose, after its 220.</summary>
public enum TlsFault
{
    /// <summary>The handshake runs as usual.</summary>
    None,

    /// <summary>Garbage in place of the server's handshake, then the connection closes.</summary>
    Fail,

    /// <summary>Only TLS 1.0 and 1.1 are offered, which a current client refuses.</summary>
    Old,
}
