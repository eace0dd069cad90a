using System.Net.Http.Headers;

namespace SmtpMock.Server.Webhooks;

/// <summary>How long to wait before the next attempt (the rule is on <see cref="WebhookRetryPolicy"/>). Pure, so it has its own tests.</summary>
internal static class Backoff
{
    /// <summary>
    /// The wait after <paramref name="failedAttempts"/> failures; <paramref name="sample"/> is a uniform draw in [0, 1).
    /// A receiver's <paramref name="retryAfter"/> is taken as it is, between zero and the policy's maximum.
    /// </summary>
    public static TimeSpan Delay(WebhookRetryPolicy policy, int failedAttempts, TimeSpan? retryAfter, double sample)
    {
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > policy.MaxDelay ? policy.MaxDelay : asked;
        }

        // base x 2^(n-1), computed in doubles so a large n saturates at the maximum instead of overflowing.
        var ceiling = Math.Min(policy.MaxDelay.Ticks, policy.BaseDelay.Ticks * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 62)));
        return TimeSpan.FromTicks((long)(ceiling * Math.Clamp(sample, 0, 1)));
    }

    /// <summary>Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3), relative to <paramref name="now"/>; null when absent.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };
}
