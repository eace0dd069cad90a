using SmtpMock.Server.Session;

namespace SmtpMock.Server.History;

/// <summary>
/// One delivery attempt: a RCPT TO in a transaction, the reply it finally got (the RCPT's when refused, the end of
/// data's when accepted: DATA or the last BDAT chunk) and the scenario rule that wrote it. What the retries view
/// groups by client key (client IP + MAIL FROM + RCPT TO), as a greylisting rule counts them.
/// </summary>
public sealed record DeliveryAttempt(DateTimeOffset At, string ClientAddress, string Sender, string Recipient, string Reply, string? Rule);

/// <summary>
/// A finished session as kept: who connected, what was said (the transcript, each reply with the rule that wrote it),
/// the messages it delivered and the delivery attempts. Immutable: what an API or a page reads never changes under it.
/// </summary>
public sealed record SessionRecord
{
    public required long Id { get; init; }

    /// <summary>The instance that served it (its <c>--instance-id</c>), or empty for a lone process.</summary>
    public string Instance { get; init; } = string.Empty;

    /// <summary>The client's address and port, as the transcript names it.</summary>
    public required string Client { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? HeloName { get; init; }

    public int Commands { get; init; }

    /// <summary>Replies a scenario rule wrote.</summary>
    public int Faults { get; init; }

    public string? EndReason { get; init; }

    /// <summary>The TLS protocol and cipher, or null when the session stayed plaintext.</summary>
    public string? Tls { get; init; }

    public string? AuthenticatedUser { get; init; }

    /// <summary>The scenario the session ran with, or null for none.</summary>
    public string? Scenario { get; init; }

    /// <summary>How it was chosen: <c>active</c>, or the session's own choice (EHLO name, AUTH user, a <c>--listen</c> port).</summary>
    public string? ScenarioChosenBy { get; init; }

    /// <summary>Ids of the messages it delivered, in order.</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    public IReadOnlyList<DeliveryAttempt> Attempts { get; init; } = [];

    /// <summary>The transcript; empty when read without lines (<see cref="SessionQuery.WithLines"/>).</summary>
    public IReadOnlyList<TranscriptLine> Lines { get; init; } = [];

    /// <summary>How many lines the transcript has (also when they were not read).</summary>
    public int LineCount { get; init; }
}
