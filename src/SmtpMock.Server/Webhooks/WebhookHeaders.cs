namespace SmtpMock.Server.Webhooks;

/// <summary>The headers each POST carries besides <c>Content-Type: application/json</c> and <c>User-Agent: SmtpMock/VERSION</c>.</summary>
internal static class WebhookHeaders
{
    /// <summary>The body's <c>type</c>, so a receiver can route before parsing.</summary>
    public const string Event = "X-SmtpMock-Event";

    /// <summary>The body's <c>id</c>: the same on every retry and every target (the idempotency key).</summary>
    public const string EventId = "X-SmtpMock-Event-Id";

    /// <summary>One event to one target: the same on every attempt of it.</summary>
    public const string Delivery = "X-SmtpMock-Delivery";

    /// <summary>1 for the first attempt, 2 for the first retry...</summary>
    public const string Attempt = "X-SmtpMock-Attempt";

    /// <summary>Unix seconds when the attempt was signed (only with a secret).</summary>
    public const string Timestamp = "X-SmtpMock-Timestamp";

    /// <summary><c>sha256=HEX</c> (only with a secret; <see cref="WebhookSignature"/>).</summary>
    public const string Signature = "X-SmtpMock-Signature";
}
