using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>One event of each type, with nulls where a body allows them and without, for the schema and delivery tests.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset At = new(2025, 6, 1, 12, 30, 15, 123, TimeSpan.Zero);

    public static MessageCapturedEvent Captured(string subject = "Quarterly report") => new(
        At, "0197a6b2c3d40123456789abcdef0123", At.AddMilliseconds(-2), 7, "alice@example.com", ["bob@example.com", "carol@example.com"],
        subject, 2048, "TLSv1.3 TLS_AES_256_GCM_SHA384", "app");

    /// <summary>Options for tests against a real receiver: retries a millisecond or so apart.</summary>
    public static WebhookOptions Options(params Uri[] targets) => new()
    {
        Targets = targets,
        Retry = new WebhookRetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(10) },
        Timeout = TimeSpan.FromSeconds(30),
        DrainTimeout = TimeSpan.FromSeconds(30),
    };

    public static IEnumerable<WebhookEvent> All() =>
    [
        Captured("Grüße <script>&amp; \"quoted\""),
        new MessageCapturedEvent(At, "0197a6b2c3d40123456789abcdef0124", At, 8, string.Empty, ["postmaster"], null, 0, null, null),
        new MessageRefusedEvent(At, 7, "alice@example.com", ["full@example.com"], 552, "5.2.2", "Mailbox full", "mailbox-full", "RCPT"),
        new MessageRefusedEvent(At, 9, null, [], 421, null, "Service not available", null, "MAIL"),
        new MessageGeneratedEvent(At, GeneratedKind.Bounce, "0197a6b2c3d40123456789abcdef0125", "0197a6b2c3d40123456789abcdef0123", "alice@example.com"),
        new MessageGeneratedEvent(At, GeneratedKind.AutoReply, "0197a6b2c3d40123456789abcdef0126", "0197a6b2c3d40123456789abcdef0123", "alice@example.com"),
        new MessageGeneratedEvent(At, GeneratedKind.Complaint, "0197a6b2c3d40123456789abcdef0127", "0197a6b2c3d40123456789abcdef0123", "alice@example.com"),
        new SessionEndedEvent(At, 7, "127.0.0.1:40000", At.AddSeconds(-3), At, 9, 1, 2, "QUIT"),
    ];
}
