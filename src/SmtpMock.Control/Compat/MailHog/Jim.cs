using System.Globalization;
using System.Text;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// MailHog's chaos monkey, with its field names and defaults (the <c>-jim-*</c> flags). Here it is not a monkey of its
/// own: <see cref="ToYaml"/> turns it into the scenario <c>mailhog-jim</c>, so it is seen and edited on our page like
/// any scenario, counted in the transcript, and with a seed its draws repeat run after run.
/// </summary>
internal sealed record Jim(
    double DisconnectChance,
    double AcceptChance,
    double LinkSpeedAffect,
    double LinkSpeedMin,
    double LinkSpeedMax,
    double RejectSenderChance,
    double RejectRecipientChance,
    double RejectAuthChance)
{
    /// <summary>The scenario Jim becomes.</summary>
    public const string ScenarioName = "mailhog-jim";

    /// <summary>
    /// Octets a slowed reply is held for, at the link speed: MailHog throttles the whole link of a session, reads in
    /// chunks of up to 1024 octets; here each slowed reply waits as long as 1024 octets take at the middle speed.
    /// </summary>
    public const int SlowOctets = 1024;

    /// <summary>MailHog's defaults (<c>-jim-disconnect 0.005</c>, <c>-jim-accept 0.99</c> and so on).</summary>
    public static Jim Default { get; } = new(0.005, 0.99, 0.1, 1024, 10240, 0.05, 0.05, 0.05);

    /// <summary>What is wrong with these values (a chance outside 0..1, link speeds that are not a range), or null.</summary>
    public string? Problem()
    {
        foreach (var (name, chance) in new[]
                 {
                     ("DisconnectChance", DisconnectChance), ("AcceptChance", AcceptChance), ("LinkSpeedAffect", LinkSpeedAffect),
                     ("RejectSenderChance", RejectSenderChance), ("RejectRecipientChance", RejectRecipientChance), ("RejectAuthChance", RejectAuthChance),
                 })
        {
            if (!(chance is >= 0 and <= 1))
            {
                return $"{name} is a chance from 0 to 1, not {chance.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        if (LinkSpeedAffect > 0 && !(LinkSpeedMin > 0 && LinkSpeedMax >= LinkSpeedMin))
        {
            return $"LinkSpeedMin and LinkSpeedMax are octets a second with 0 < min <= max (LinkSpeedAffect is {LinkSpeedAffect.ToString(CultureInfo.InvariantCulture)}), not {LinkSpeedMin.ToString(CultureInfo.InvariantCulture)} and {LinkSpeedMax.ToString(CultureInfo.InvariantCulture)}";
        }

        return null;
    }

    /// <summary>How long a slowed reply is held: <see cref="SlowOctets"/> at the speed midway between min and max, at least 1 ms.</summary>
    public TimeSpan SlowDelay() => TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(SlowOctets * 1000 / ((LinkSpeedMin + LinkSpeedMax) / 2))));

    /// <summary>
    /// The scenario: a connection refused before the greeting (1 - AcceptChance), MAIL and RCPT refused with 550,
    /// AUTH with 535, the connection closed after a reply (DisconnectChance), a reply held (LinkSpeedAffect). A chance of
    /// 0 leaves its rule out. <paramref name="seed"/> makes the draws repeat.
    /// </summary>
    public string ToYaml(int? seed)
    {
        var yaml = new StringBuilder();
        yaml.Append("# MailHog's Jim, set through the MailHog API (PUT/POST /api/v2/jim on --mailhog-port):\n");
        yaml.Append("# ").Append(Describe()).Append('\n');
        yaml.Append("name: ").Append(ScenarioName).Append('\n');
        yaml.Append("description: MailHog's Jim (chaos monkey) from the MailHog API\n");
        if (seed is { } s)
        {
            yaml.Append("seed: ").Append(s.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        yaml.Append("rules:\n");
        Rule(yaml, "jim-refuse-connection", "CONNECT", Math.Round(1 - AcceptChance, 12), "reply: none\n    then: close");
        Rule(yaml, "jim-reject-sender", "MAIL", RejectSenderChance, "reply: { code: 550, text: \"Invalid sender\" }");
        Rule(yaml, "jim-reject-recipient", "RCPT", RejectRecipientChance, "reply: { code: 550, text: \"Invalid recipient\" }");
        Rule(yaml, "jim-reject-auth", "AUTH", RejectAuthChance, "reply: 535");
        Rule(yaml, "jim-disconnect", "[ANY, MESSAGE]", DisconnectChance, "then: close");
        if (LinkSpeedAffect > 0)
        {
            Rule(yaml, "jim-slow-link", "[CONNECT, ANY, MESSAGE]", LinkSpeedAffect, $"delay: {SlowDelay().TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms");
        }

        if (yaml.ToString().EndsWith("rules:\n", StringComparison.Ordinal))
        {
            yaml.Append("  []\n");
        }

        return yaml.ToString();
    }

    private string Describe() => string.Join(", ", new[]
    {
        $"AcceptChance {Num(AcceptChance)}", $"RejectSenderChance {Num(RejectSenderChance)}", $"RejectRecipientChance {Num(RejectRecipientChance)}",
        $"RejectAuthChance {Num(RejectAuthChance)}", $"DisconnectChance {Num(DisconnectChance)}",
        $"LinkSpeedAffect {Num(LinkSpeedAffect)} ({Num(LinkSpeedMin)}-{Num(LinkSpeedMax)} octets/s)",
    });

    private static void Rule(StringBuilder yaml, string name, string on, double chance, string action)
    {
        if (chance <= 0)
        {
            return;
        }

        yaml.Append("  - name: ").Append(name).Append('\n');
        yaml.Append("    on: ").Append(on).Append('\n');
        if (chance < 1)
        {
            yaml.Append("    when: { probability: ").Append(Num(chance)).Append(" }\n");
        }

        yaml.Append("    ").Append(action).Append('\n');
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
