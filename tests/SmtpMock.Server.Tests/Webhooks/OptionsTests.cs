using Microsoft.Extensions.Logging.Testing;
using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

public class OptionsTests
{
    private static readonly WebhookOptions Good = new() { Targets = [new Uri("https://hooks.example.test/smtpmock")] };

    [Test]
    public void The_defaults_with_one_target_are_valid() =>
        Assert.That(Good.Validate(), Is.Empty);

    private static IEnumerable<TestCaseData> Bad() =>
    [
        new(Good with { Targets = [] }, "webhooks need at least one target URL"),
        new(Good with { Targets = [new Uri("ftp://example.test/x")] }, "webhook target 'ftp://example.test/x' is not an absolute http:// or https:// URL"),
        new(Good with { Targets = [new Uri("/relative", UriKind.Relative)] }, "webhook target '/relative' is not an absolute http:// or https:// URL"),
        new(Good with { Secret = string.Empty }, "webhook secret is empty (leave it out to send unsigned events)"),
        new(Good with { QueueCapacity = 0 }, "webhook queue capacity must be at least 1"),
        new(Good with { Timeout = TimeSpan.Zero }, "webhook timeout must be positive and drain timeout zero or more, each at most 49 days"),
        new(Good with { Timeout = TimeSpan.FromDays(50) }, "webhook timeout must be positive and drain timeout zero or more, each at most 49 days"),
        new(Good with { DrainTimeout = TimeSpan.FromSeconds(-1) }, "webhook timeout must be positive and drain timeout zero or more, each at most 49 days"),
        new(Good with { Retry = new WebhookRetryPolicy { MaxAttempts = 0 } }, "webhook max attempts must be at least 1"),
        new(Good with { Retry = new WebhookRetryPolicy { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(5) } }, "webhook retry base delay must be positive and max delay at least the base delay and at most 49 days"),
        new(Good with { Retry = new WebhookRetryPolicy { MaxDelay = TimeSpan.FromDays(50) } }, "webhook retry base delay must be positive and max delay at least the base delay and at most 49 days"),
    ];

    [TestCaseSource(nameof(Bad))]
    public void A_bad_option_is_named_and_the_dispatcher_refuses_it(WebhookOptions options, string problem)
    {
        Assert.That(options.Validate(), Is.EqualTo(new[] { problem }));
        var e = Assert.Throws<ArgumentException>(() => _ = new WebhookDispatcher(options, new FakeLogger()));
        Assert.That(e!.Message, Does.StartWith(problem));
    }

    [Test]
    public void Printing_the_options_never_shows_the_secret_or_a_token_in_a_target()
    {
        var text = (Good with { Secret = "s3cr3t-value", Targets = [new Uri("https://user:pw@hooks.example.test/in?token=t0k3n")] }).ToString();
        Assert.That(text, Does.Contain("Secret = set").And.Contain("https://hooks.example.test/in"));
        Assert.That(text, Does.Not.Contain("s3cr3t").And.Not.Contain("t0k3n").And.Not.Contain("pw@"));
    }
}
