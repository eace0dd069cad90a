using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SmtpMock.Server.Session;
using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>Delivery to a real receiver: what each POST carries, which failures are retried, and how long the waits are.</summary>
public class DeliveryTests
{
    private const string Secret = "whsec_test-secret";

    [Test]
    public async Task Two_500s_then_200_deliver_the_event_once_on_the_third_attempt_signed_every_time()
    {
        await using var receiver = await Receiver.StartAsync((request, response, _) =>
        {
            response.StatusCode = request.Number <= 2 ? 500 : 200;
            return Task.CompletedTask;
        });
        using var meter = new Meter("webhook-test");
        using var delivered = new MetricCollector<long>(meter, "smtpmock.webhooks.delivered");
        using var failed = new MetricCollector<long>(meter, "smtpmock.webhooks.attempts.failed");
        await using var dispatcher = new WebhookDispatcher(Samples.Options(receiver.Url) with { Secret = Secret }, new FakeLogger(), meter: meter);
        var captured = Samples.Captured();

        dispatcher.Publish(captured);
        await Until.TrueAsync(() => dispatcher.Counters.Delivered == 1, "the event delivered");
        var second = Samples.Captured("second");
        dispatcher.Publish(second);
        await Until.TrueAsync(() => dispatcher.Counters.Delivered == 2, "a second event delivered");

        var requests = receiver.Requests;
        Assert.That(requests, Has.Count.EqualTo(4), "three attempts of the first event, one of the second: no extra retry");
        var first = requests.Take(3).ToList();
        Assert.That(first.Select(r => r.Header("X-SmtpMock-Attempt")), Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(first.Select(r => r.Header("X-SmtpMock-Event-Id")).Distinct(), Is.EqualTo(new[] { captured.Id }));
        Assert.That(first.Select(r => r.Header("X-SmtpMock-Delivery")).Distinct().Single(), Does.Match("^dlv_[0-9a-f]{32}$"));
        Assert.That(first.Select(r => Convert.ToHexString(r.Body)).Distinct().Count(), Is.EqualTo(1), "every attempt sends the same bytes");
        foreach (var request in requests)
        {
            Assert.That(request.ContentType, Is.EqualTo("application/json"));
            Assert.That(request.Header("User-Agent"), Is.EqualTo("SmtpMock/" + ServerVersion.Text));
            Assert.That(request.Header("X-SmtpMock-Event"), Is.EqualTo("message.captured"));
            Assert.That(Verify(request, Secret), Is.True, $"attempt {request.Number} carries a valid signature");
            Assert.That(Verify(request, "another secret"), Is.False);
        }

        using var body = JsonDocument.Parse(requests[2].Body);
        Assert.That(body.RootElement.GetProperty("id").GetString(), Is.EqualTo(captured.Id));
        Assert.That(body.RootElement.GetProperty("messageId").GetString(), Is.EqualTo(captured.MessageId));
        Assert.That(requests[3].Header("X-SmtpMock-Event-Id"), Is.EqualTo(second.Id));
        Assert.That((dispatcher.Counters.Delivered, dispatcher.Counters.FailedAttempts, dispatcher.Counters.GivenUp, dispatcher.Counters.Dropped), Is.EqualTo((2L, 2L, 0L, 0L)));
        delivered.RecordObservableInstruments();
        failed.RecordObservableInstruments();
        Assert.That((delivered.LastMeasurement?.Value, failed.LastMeasurement?.Value), Is.EqualTo(((long?)2, (long?)2)));
    }

    [Test]
    public async Task The_signature_is_hmac_sha256_of_timestamp_dot_body_and_the_timestamp_is_now()
    {
        await using var receiver = await Receiver.StartAsync(200);
        await using var dispatcher = new WebhookDispatcher(Samples.Options(receiver.Url) with { Secret = Secret }, new FakeLogger());
        dispatcher.Publish(Samples.Captured());
        await Until.TrueAsync(() => dispatcher.Counters.Delivered == 1, "delivered");

        var request = receiver.Requests.Single();
        var timestamp = long.Parse(request.Header("X-SmtpMock-Timestamp")!, CultureInfo.InvariantCulture);
        Assert.That(DateTimeOffset.FromUnixTimeSeconds(timestamp), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(5)));
        var signed = Encoding.ASCII.GetBytes($"{timestamp}.").Concat(request.Body).ToArray();
        Assert.That(request.Header("X-SmtpMock-Signature"), Is.EqualTo("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed))));
    }

    [Test]
    public async Task Without_a_secret_no_signature_or_timestamp_is_sent_and_the_instance_is_stamped_in_the_body()
    {
        await using var receiver = await Receiver.StartAsync(204);
        await using var dispatcher = new WebhookDispatcher(Samples.Options(receiver.Url) with { InstanceId = "ci-runner-3" }, new FakeLogger());
        dispatcher.Publish(Samples.All().Last());
        await Until.TrueAsync(() => dispatcher.Counters.Delivered == 1, "delivered (204 is a success)");

        var request = receiver.Requests.Single();
        Assert.That(request.Header("X-SmtpMock-Signature"), Is.Null);
        Assert.That(request.Header("X-SmtpMock-Timestamp"), Is.Null);
        Assert.That(request.Header("X-SmtpMock-Event"), Is.EqualTo("session.ended"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.That(body.RootElement.GetProperty("instance").GetString(), Is.EqualTo("ci-runner-3"));
    }

    [TestCase(400)]
    [TestCase(404)]
    [TestCase(410)]
    [TestCase(302)]
    public async Task A_refusal_other_than_429_or_5xx_is_not_retried(int status)
    {
        await using var receiver = await Receiver.StartAsync((request, response, _) =>
        {
            response.StatusCode = request.Number == 1 ? status : 200;
            if (status == 302)
            {
                response.Headers.Location = "/elsewhere";
            }

            return Task.CompletedTask;
        });
        var logger = new FakeLogger();
        await using var dispatcher = new WebhookDispatcher(Samples.Options(receiver.Url), logger);
        var refused = Samples.Captured("refused");
        var next = Samples.Captured("next");

        dispatcher.Publish(refused);
        dispatcher.Publish(next);
        await Until.TrueAsync(() => dispatcher.Counters.Delivered == 1, "the next event delivered");

        // Delivery is in order: a retry of the first would have come before the second.
        Assert.That(receiver.Requests.Select(r => r.Header("X-SmtpMock-Event-Id")), Is.EqualTo(new[] { refused.Id, next.Id }));
        Assert.That((dispatcher.Counters.FailedAttempts, dispatcher.Counters.GivenUp), Is.EqualTo((1L, 1L)));
        var line = logger.Collector.GetSnapshot().Single(r => r.Id.Id == 503);
        Assert.That(line.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(line.Message, Does.Contain($"{refused.Id} refused (answered {status}").And.Contain("not retried"));
    }

    [TestCase(429, "120", 120)]
    [TestCase(503, "date", 90)]
    public async Task Retry_after_sets_the_wait_before_the_next_attempt(int status, string retryAfter, int seconds)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var receiver = await Receiver.StartAsync((request, response, _) =>
        {
            response.StatusCode = request.Number == 1 ? status : 200;
            response.Headers.RetryAfter = retryAfter == "date" ? time.GetUtcNow().AddSeconds(seconds).ToString("R", CultureInfo.InvariantCulture) : retryAfter;
            return Task.CompletedTask;
        });
        var logger = new FakeLogger();

        // Without Retry-After the wait would be drawn from anywhere in [0, 1 h).
        var options = Samples.Options(receiver.Url) with { Retry = new WebhookRetryPolicy { BaseDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1) } };
        await using var dispatcher = new WebhookDispatcher(options, logger, time);
        dispatcher.Publish(Samples.Captured());
        await Until.TrueAsync(() => logger.Collector.GetSnapshot().Any(r => r.Id.Id == 501), "the first attempt failed and the retry is scheduled");

        var retrying = logger.Collector.GetSnapshot().Single(r => r.Id.Id == 501);
        Assert.That(retrying.StructuredState!.Single(kv => kv.Key == "Delay").Value, Is.EqualTo(TimeSpan.FromSeconds(seconds).ToString()));
        Assert.That(retrying.Message, Does.Contain($"answered {status}"));
        time.Advance(TimeSpan.FromSeconds(seconds - 1));
        Assert.That(dispatcher.Counters.Delivered, Is.Zero);
        time.Advance(TimeSpan.FromSeconds(1));
        await Until.TrueAsync(() => dispatcher.Counters.Delivered == 1, "delivered once the receiver's wait is over");
        Assert.That(receiver.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_receiver_that_is_not_there_is_retried_up_to_the_maximum_then_given_up_with_a_log_line()
    {
        using var closed = new TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var logger = new FakeLogger();
        var options = Samples.Options(new Uri($"http://127.0.0.1:{port}/hook?token=hidden")) with { Retry = new WebhookRetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) } };
        await using var dispatcher = new WebhookDispatcher(options, logger);
        var captured = Samples.Captured();

        dispatcher.Publish(captured);
        await Until.TrueAsync(() => dispatcher.Counters.GivenUp == 1, "given up");

        Assert.That(dispatcher.Counters.FailedAttempts, Is.EqualTo(3));
        var records = logger.Collector.GetSnapshot();
        Assert.That(records.Count(r => r.Id.Id == 501), Is.EqualTo(2), "two retries");
        var gaveUp = records.Single(r => r.Id.Id == 502);
        Assert.That(gaveUp.Message, Does.StartWith($"webhook http://127.0.0.1:{port}/hook: gave up on message.captured {captured.Id} after 3 attempts ("));
        Assert.That(records.Select(r => r.Message), Has.None.Contains("token=hidden"), "the query (often a token) is never logged");
    }

    [Test]
    public async Task A_receiver_that_does_not_answer_within_the_timeout_fails_the_attempt()
    {
        var (receiver, _) = await Receiver.StartSilentAsync();
        await using var stopReceiver = receiver;
        var logger = new FakeLogger();
        var options = Samples.Options(receiver.Url) with { Timeout = TimeSpan.FromMilliseconds(200), Retry = new WebhookRetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1) } };
        await using var dispatcher = new WebhookDispatcher(options, logger);

        dispatcher.Publish(Samples.Captured());
        // The give-up is counted, then logged: wait for both.
        await Until.TrueAsync(() => dispatcher.Counters.GivenUp == 1 && logger.Collector.GetSnapshot().Any(r => r.Id.Id == 502), "given up and logged");

        // The receiver had the first attempt (the second may time out before its handler runs on a loaded machine).
        Assert.That(receiver.Requests, Is.Not.Empty);
        Assert.That(dispatcher.Counters.FailedAttempts, Is.EqualTo(2));
        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Id.Id == 502).Message, Does.EndWith("after 2 attempts (no answer within 0.2 s)"));
    }

    private static bool Verify(ReceivedRequest request, string secret) =>
        Verify(secret, request.Header("X-SmtpMock-Timestamp"), request.Header("X-SmtpMock-Signature"), request.Body, TimeSpan.FromMinutes(5));

    /// <summary>docs/webhooks.md's C# verifier, as it is there.</summary>
    private static bool Verify(string secret, string? timestamp, string? signature, byte[] body, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance
            || signature is null || !signature.StartsWith("sha256=", StringComparison.Ordinal) || signature.Length != 71)
        {
            return false; // missing, malformed, or too old: a replay
        }

        byte[] signed = [.. Encoding.ASCII.GetBytes(timestamp + "."), .. body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(signature.AsSpan(7)));
    }
}
