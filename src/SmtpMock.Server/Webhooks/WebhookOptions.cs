using SmtpMock.Server.Hosting;

namespace SmtpMock.Server.Webhooks;

/// <summary>
/// Where server events are POSTed as JSON and how (<c>--webhook URL</c>, docs/webhooks.md). Each target gets every
/// event, in order, through a queue of its own: a slow or dead receiver never holds SMTP or another receiver.
/// </summary>
public sealed record WebhookOptions
{
    /// <summary>The receivers, absolute http:// or https:// URLs.</summary>
    public IReadOnlyList<Uri> Targets { get; init; } = [];

    /// <summary>
    /// When set, each POST carries <c>X-SmtpMock-Signature: sha256=HEX</c>, the HMAC-SHA256 under this secret (its
    /// UTF-8 bytes) of <c>TIMESTAMP + "." + BODY</c>, with TIMESTAMP in <c>X-SmtpMock-Timestamp</c>.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>Events waiting per target; when full a new event is dropped for that target (counted and logged).</summary>
    public int QueueCapacity { get; init; } = 1000;

    /// <summary>One attempt's limit, from connecting to the response headers.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When and how often a failed delivery is tried again.</summary>
    public WebhookRetryPolicy Retry { get; init; } = new();

    /// <summary>On disposal, how long queued events may still be delivered before the rest are given up.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Names this SmtpMock in every event (<c>instance</c>), for receivers fed by several; null leaves it null.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The problems with these options, each a phrase; empty when they can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Targets.Count == 0)
        {
            problems.Add("webhooks need at least one target URL");
        }

        foreach (var target in Targets)
        {
            if (!target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"webhook target '{target}' is not an absolute http:// or https:// URL");
            }
        }

        if (Secret is { Length: 0 })
        {
            problems.Add("webhook secret is empty (leave it out to send unsigned events)");
        }

        if (QueueCapacity < 1)
        {
            problems.Add("webhook queue capacity must be at least 1");
        }

        // A timer cannot be set past about 49.7 days (SmtpServerOptions.MaxTimeout says so too).
        if (Timeout <= TimeSpan.Zero || DrainTimeout < TimeSpan.Zero || Timeout > SmtpServerOptions.MaxTimeout || DrainTimeout > SmtpServerOptions.MaxTimeout)
        {
            problems.Add("webhook timeout must be positive and drain timeout zero or more, each at most 49 days");
        }

        problems.AddRange(Retry.Validate());
        return problems;
    }

    /// <summary>Says whether a secret is set, never the secret (the generated record printer would show it in logs).</summary>
    public override string ToString() =>
        $"WebhookOptions {{ Targets = [{string.Join(", ", Targets.Select(WebhookTargetName.Of))}], Secret = {(Secret is null ? "none" : "set")}, QueueCapacity = {QueueCapacity}, Timeout = {Timeout}, Retry = {Retry}, DrainTimeout = {DrainTimeout}, InstanceId = {InstanceId} }}";
}

/// <summary>
/// Exponential backoff with full jitter: after the Nth failed attempt the wait is drawn uniformly from
/// [0, min(<see cref="MaxDelay"/>, <see cref="BaseDelay"/> x 2^(N-1))). A receiver's Retry-After replaces the draw
/// (capped at <see cref="MaxDelay"/>).
/// </summary>
public sealed record WebhookRetryPolicy
{
    /// <summary>Attempts per event in all, the first included; 1 never retries.</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Validate()
    {
        if (MaxAttempts < 1)
        {
            yield return "webhook max attempts must be at least 1";
        }

        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay || MaxDelay > SmtpServerOptions.MaxTimeout)
        {
            yield return "webhook retry base delay must be positive and max delay at least the base delay and at most 49 days";
        }
    }
}
