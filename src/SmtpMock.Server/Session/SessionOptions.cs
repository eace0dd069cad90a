using SmtpMock.Protocol.Framing;

namespace SmtpMock.Server.Session;

/// <summary>The part of the server's options a session reads: limits, timeouts, line endings, the clock.</summary>
internal sealed record SessionOptions
{
    public string Hostname { get; init; } = "localhost";

    public long MaxMessageSize { get; init; } = 35 * 1024 * 1024;

    public int MaxRecipients { get; init; } = 100;

    public int MaxCommandLineLength { get; init; } = 512;

    public int MaxDataLineLength { get; init; } = 1000;

    public BareLineEndingPolicy BareLineEndingsInData { get; init; }

    public bool StrictLineEndings { get; init; }

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public int MaxBadCommands { get; init; } = 20;

    public int MaxTranscriptLines { get; init; } = 10_000;

    /// <summary>Where a large message spills while it arrives (the store directory), or null to keep it in memory.</summary>
    public string? SpoolDirectory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
