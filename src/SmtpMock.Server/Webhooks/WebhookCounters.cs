using System.Diagnostics.Metrics;

namespace SmtpMock.Server.Webhooks;

/// <summary>
/// What the dispatcher did, summed over its targets: read as properties, or as observable counters on a meter
/// (read only when a listener collects, like <see cref="Hosting.ServerMetrics"/>).
/// </summary>
internal sealed class WebhookCounters
{
    private long _delivered;
    private long _failedAttempts;
    private long _dropped;
    private long _givenUp;

    /// <summary>Events a receiver accepted (2xx).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Attempts that failed: network error, timeout, or a status other than 2xx.</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>Events not queued because the target's queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queued events never delivered: attempts used up, refused with a status not worth retrying, or still waiting at shutdown.</summary>
    public long GivenUp => Interlocked.Read(ref _givenUp);

    public void AddDelivered() => Interlocked.Increment(ref _delivered);

    public void AddFailedAttempt() => Interlocked.Increment(ref _failedAttempts);

    public void AddDropped() => Interlocked.Increment(ref _dropped);

    public void AddGivenUp(long count) => Interlocked.Add(ref _givenUp, count);

    /// <summary>Publishes the counts, and the events waiting now (<paramref name="queued"/>), on <paramref name="meter"/>.</summary>
    public void Publish(Meter meter, Func<int> queued)
    {
        meter.CreateObservableCounter("smtpmock.webhooks.delivered", () => Delivered, "{event}", "Webhook events a receiver accepted");
        meter.CreateObservableCounter("smtpmock.webhooks.attempts.failed", () => FailedAttempts, "{attempt}", "Webhook attempts that failed (network, timeout, non-2xx)");
        meter.CreateObservableCounter("smtpmock.webhooks.dropped", () => Dropped, "{event}", "Webhook events dropped because a target's queue was full");
        meter.CreateObservableCounter("smtpmock.webhooks.given_up", () => GivenUp, "{event}", "Webhook events never delivered after being queued");
        meter.CreateObservableUpDownCounter("smtpmock.webhooks.queued", queued, "{event}", "Webhook events waiting now");
    }
}
