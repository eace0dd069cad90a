using System.Net.Http.Headers;
using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>The wait before a retry: full jitter under a doubling ceiling, or the receiver's Retry-After.</summary>
public class BackoffTests
{
    private static readonly WebhookRetryPolicy Policy = new() { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) };

    [TestCase(1, 0.5)]
    [TestCase(2, 1)]
    [TestCase(3, 2)]
    [TestCase(6, 16)]
    [TestCase(7, 30)]
    [TestCase(8, 30)]
    [TestCase(1000, 30)]
    [TestCase(int.MaxValue, 30)]
    public void Half_way_through_the_draw_is_half_the_doubling_ceiling_capped_at_the_maximum(int failedAttempts, double seconds) =>
        Assert.That(Backoff.Delay(Policy, failedAttempts, null, 0.5), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void Full_jitter_spans_zero_to_just_under_the_ceiling()
    {
        Assert.That(Backoff.Delay(Policy, 4, null, 0), Is.EqualTo(TimeSpan.Zero));
        Assert.That(Backoff.Delay(Policy, 4, null, 0.999), Is.LessThan(TimeSpan.FromSeconds(8)).And.GreaterThan(TimeSpan.FromSeconds(7.9)));
        var draws = Enumerable.Range(0, 1000).Select(_ => Backoff.Delay(Policy, 4, null, Random.Shared.NextDouble())).ToList();
        Assert.That(draws, Has.All.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(8)));
        Assert.That(draws.Distinct().Count(), Is.GreaterThan(100), "jittered, not one fixed wait");
    }

    [TestCase(10, 10)]
    [TestCase(120, 60)]
    [TestCase(-5, 0)]
    public void Retry_after_replaces_the_draw_between_zero_and_the_maximum(int asked, int seconds)
    {
        Assert.That(Backoff.Delay(Policy, 1, TimeSpan.FromSeconds(asked), 0.7), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
        Assert.That(Backoff.Delay(Policy, 5, TimeSpan.FromSeconds(asked), 0.1), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [Test]
    public void Retry_after_is_read_as_seconds_or_as_a_date()
    {
        var now = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.That(Backoff.RetryAfter(RetryConditionHeaderValue.Parse("30"), now), Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(Backoff.RetryAfter(RetryConditionHeaderValue.Parse("Sun, 01 Jun 2025 12:01:30 GMT"), now), Is.EqualTo(TimeSpan.FromSeconds(90)));
        Assert.That(Backoff.RetryAfter(null, now), Is.Null);
    }
}
