using System.CommandLine;
using ServerWebhookOptions = SmtpMock.Server.Webhooks.WebhookOptions;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// serve's webhooks (docs/webhooks.md): each <c>--webhook URL</c> gets every event as a JSON POST, signed when a secret
/// is given by <c>--webhook-secret</c> or, out of the process list, <c>SMTPMOCK_WEBHOOK_SECRET</c>.
/// </summary>
internal static class WebhookOptions
{
    public const string SecretVariable = "SMTPMOCK_WEBHOOK_SECRET";

    public static readonly Option<string[]> Webhook = new("--webhook") { Description = "POST each event (message captured or refused, bounce generated, session ended) as JSON to this http(s) URL (repeatable)", HelpName = "URL" };
    public static readonly Option<string?> Secret = new("--webhook-secret") { Description = $"Sign each webhook body with HMAC-SHA256 in X-SmtpMock-Signature (or set {SecretVariable}, kept out of the process list)", HelpName = "SECRET" };

    public static IEnumerable<Option> All => [Webhook, Secret];

    /// <summary>
    /// The webhooks, or null: none asked for (<paramref name="error"/> null), or <paramref name="error"/> says what is
    /// wrong. <paramref name="secretVariable"/> is <see cref="SecretVariable"/>'s value; the flag wins over it.
    /// </summary>
    public static ServerWebhookOptions? Read(ParseResult parse, string? secretVariable, out string? error)
    {
        error = null;
        var urls = parse.GetValue(Webhook) ?? [];
        var secret = parse.GetValue(Secret);
        if (urls.Length == 0)
        {
            // The variable alone is no mistake: it may be set for every run while only some ask for webhooks.
            error = secret is not null ? "smtpmock: --webhook-secret signs webhooks: give --webhook URL too" : null;
            return null;
        }

        var targets = new List<Uri>();
        foreach (var url in urls)
        {
            if (Problem(url) is { } problem)
            {
                error = $"smtpmock: --webhook '{url}' {problem}";
                return null;
            }

            targets.Add(new Uri(url));
        }

        secret ??= string.IsNullOrEmpty(secretVariable) ? null : secretVariable;
        if (secret is { Length: 0 })
        {
            error = $"smtpmock: --webhook-secret is empty (leave it out to send unsigned events, or set {SecretVariable})";
            return null;
        }

        return new ServerWebhookOptions { Targets = targets, Secret = secret };
    }

    private static string? Problem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return "is not an http:// or https:// URL (e.g. --webhook http://127.0.0.1:9000/smtpmock)";
        }

        return uri.UserInfo.Length > 0
            ? "carries user:password, which webhooks do not send: sign with --webhook-secret, or put a token in the path or query"
            : null;
    }
}
