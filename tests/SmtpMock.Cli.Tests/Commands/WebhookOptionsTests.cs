using System.CommandLine;
using SmtpMock.Cli.Commands.Serve;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary>--webhook URL (repeatable) and --webhook-secret / SMTPMOCK_WEBHOOK_SECRET, read into the server's webhook options.</summary>
public class WebhookOptionsTests
{
    private static (Server.Webhooks.WebhookOptions? Options, string? Error) Read(string? variable, params string[] args)
    {
        var command = new Command("serve-like");
        foreach (var option in WebhookOptions.All)
        {
            command.Options.Add(option);
        }

        var parse = command.Parse(args);
        Assert.That(parse.Errors, Is.Empty);
        var options = WebhookOptions.Read(parse, variable, out var error);
        return (options, error);
    }

    [Test]
    public void Each_webhook_is_a_target_and_the_flag_secret_wins_over_the_variable()
    {
        var (options, error) = Read("from-env", "--webhook", "http://127.0.0.1:9000/smtpmock", "--webhook", "https://ci.example.test/hooks?token=x", "--webhook-secret", "from-flag");

        Assert.That(error, Is.Null);
        Assert.That(options!.Targets.Select(t => t.ToString()), Is.EqualTo(new[] { "http://127.0.0.1:9000/smtpmock", "https://ci.example.test/hooks?token=x" }));
        Assert.That(options.Secret, Is.EqualTo("from-flag"));
        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.QueueCapacity, Is.EqualTo(new Server.Webhooks.WebhookOptions().QueueCapacity), "the rest are the library's defaults");
    }

    [Test]
    public void The_secret_comes_from_the_variable_when_the_flag_is_not_given_and_none_means_unsigned()
    {
        Assert.That(Read("from-env", "--webhook", "http://127.0.0.1:9000/").Options!.Secret, Is.EqualTo("from-env"));
        Assert.That(Read(null, "--webhook", "http://127.0.0.1:9000/").Options!.Secret, Is.Null);
        Assert.That(Read(string.Empty, "--webhook", "http://127.0.0.1:9000/").Options!.Secret, Is.Null);
    }

    [Test]
    public void No_webhook_is_no_options_even_with_the_variable_set() =>
        Assert.That(Read("from-env"), Is.EqualTo(((Server.Webhooks.WebhookOptions?)null, (string?)null)));

    [TestCase("ftp://example.test/in", "smtpmock: --webhook 'ftp://example.test/in' is not an http:// or https:// URL (e.g. --webhook http://127.0.0.1:9000/smtpmock)")]
    [TestCase("/relative/path", "smtpmock: --webhook '/relative/path' is not an http:// or https:// URL (e.g. --webhook http://127.0.0.1:9000/smtpmock)")]
    [TestCase("127.0.0.1:9000", "smtpmock: --webhook '127.0.0.1:9000' is not an http:// or https:// URL (e.g. --webhook http://127.0.0.1:9000/smtpmock)")]
    [TestCase("http://user:pw@example.test/in", "smtpmock: --webhook 'http://user:pw@example.test/in' carries user:password, which webhooks do not send: sign with --webhook-secret, or put a token in the path or query")]
    public void A_bad_url_is_named_with_an_example(string url, string message)
    {
        var (options, error) = Read(null, "--webhook", url);
        Assert.That(options, Is.Null);
        Assert.That(error, Is.EqualTo(message));
    }

    [Test]
    public void A_secret_without_a_webhook_or_an_empty_one_is_an_error()
    {
        Assert.That(Read(null, "--webhook-secret", "s").Error, Is.EqualTo("smtpmock: --webhook-secret signs webhooks: give --webhook URL too"));
        Assert.That(Read(null, "--webhook", "http://127.0.0.1:9000/", "--webhook-secret", string.Empty).Error, Does.StartWith("smtpmock: --webhook-secret is empty"));
    }
}
