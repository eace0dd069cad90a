using System.Globalization;
using System.Text;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// Mailpit's chaos triggers as a SmtpMock scenario named <c>mailpit-chaos</c>: one rule per trigger with a probability,
/// at MAIL, RCPT and the AUTH command, answering Mailpit's words without an enhanced code (<c>451 Chaos sender
/// error</c>). With a seed the draws repeat run after run; an injected 421 closes the session, as RFC 5321 asks.
/// </summary>
internal static class MailpitChaosScenario
{
    public const string Name = "mailpit-chaos";

    /// <summary>Mailpit's defaults: 451, 451 and 535, never.</summary>
    public static MailpitChaos Defaults { get; } = new(new(451, 0), new(451, 0), new(535, 0));

    /// <summary>The triggers a PUT asks for, each omitted one (or code 0) at its default; null and Mailpit's reason when a value is out of range.</summary>
    public static MailpitChaos? Validate(MailpitChaos requested, out string? error)
    {
        error = null;
        var triggers = new[] { (requested.Sender, Defaults.Sender!), (requested.Recipient, Defaults.Recipient!), (requested.Authentication, Defaults.Authentication!) }
            .Select(t => t.Item1 is null ? t.Item2 : t.Item1 with { ErrorCode = t.Item1.ErrorCode == 0 ? t.Item2.ErrorCode : t.Item1.ErrorCode })
            .ToArray();
        if (triggers.Any(t => t.ErrorCode is < 400 or > 599))
        {
            error = "error code must be between 400 and 599";
            return null;
        }

        if (triggers.Any(t => t.Probability is < 0 or > 100))
        {
            error = "probability must be between 0 and 100";
            return null;
        }

        return new MailpitChaos(triggers[0], triggers[1], triggers[2]);
    }

    /// <summary>The scenario's YAML, or null when no trigger can fire (every probability 0).</summary>
    public static string? Yaml(MailpitChaos chaos, int? seed)
    {
        var rules = new[] { ("sender", "MAIL", chaos.Sender!), ("recipient", "RCPT", chaos.Recipient!), ("authentication", "AUTH", chaos.Authentication!) }
            .Where(r => r.Item3.Probability > 0)
            .ToArray();
        if (rules.Length == 0)
        {
            return null;
        }

        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"name: {Name}\n");
        yaml.Append("description: Mailpit's chaos triggers, set with PUT /api/v1/chaos on the Mailpit port\n");
        if (seed is { } value)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"seed: {value}\n");
        }

        yaml.Append("rules:\n");
        foreach (var (what, point, trigger) in rules)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: chaos-{what}\n    on: {point}\n");
            if (trigger.Probability < 100)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    when: {{ probability: {trigger.Probability / 100.0:0.00} }}\n");
            }

            yaml.Append(CultureInfo.InvariantCulture, $"    reply: {{ code: {trigger.ErrorCode}, enhanced: none, text: Chaos {what} error }}\n");
        }

        return yaml.ToString();
    }

    /// <summary>The scenario for these triggers (null: none can fire); problems are a bug here, the YAML being ours.</summary>
    public static Scenario? For(MailpitChaos chaos, int? seed)
    {
        if (Yaml(chaos, seed) is not { } yaml)
        {
            return null;
        }

        var (scenario, problems) = ScenarioLoader.Parse(yaml, Name + ".yaml");
        return scenario ?? throw new InvalidOperationException($"the {Name} scenario did not load: {string.Join("; ", problems.Select(p => p.Message))}");
    }
}
