using System.Text.RegularExpressions;
using SmtpMock.Protocol.Auth;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Reads a rule's <c>when:</c>: which commands it applies to (count, session, argument, addresses, parameter,
/// probability, sequence) and the TLS and AUTH conditions <c>tls</c>, <c>mechanism</c> and <c>user</c> (issue 11).
/// </summary>
internal static class ConditionLoader
{
    private static readonly string[] WhenKeys = ["nth", "per", "session", "argument", "sender", "recipient", "parameter", "probability", "sequence", "mechanism", "user", "tls"];

    public static RuleConditions Read(YamlReading reading, YamlNode node)
    {
        var keys = reading.Mapping(node, "when", WhenKeys);
        var conditions = new RuleConditions();
        if (keys.TryGetValue("nth", out var nth))
        {
            conditions = conditions with { Nth = reading.Int(nth, "nth", 1, int.MaxValue) };
        }

        if (keys.TryGetValue("per", out var per) && ReadWord<CountScope>(reading, per, "per", ["session", "transaction", "server"], "transaction, session or server") is { } scope)
        {
            conditions = conditions with { Per = scope };
        }

        if (keys.TryGetValue("session", out var session))
        {
            conditions = conditions with { Session = ReadSessions(reading, session) };
        }

        if (keys.TryGetValue("argument", out var argument) && reading.String(argument, "argument") is { } pattern)
        {
            try
            {
                conditions = conditions with { Argument = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)) };
            }
            catch (ArgumentException e)
            {
                reading.Fail(argument, $"argument is not a valid regular expression: {e.Message}");
            }
        }

        if (keys.TryGetValue("sender", out var sender) && reading.String(sender, "sender") is { } senderGlob)
        {
            conditions = conditions with { Sender = Glob.ToRegex(senderGlob) };
        }

        if (keys.TryGetValue("recipient", out var recipient) && reading.String(recipient, "recipient") is { } recipientGlob)
        {
            conditions = conditions with { Recipient = Glob.ToRegex(recipientGlob) };
        }

        if (keys.TryGetValue("parameter", out var parameter) && reading.String(parameter, "parameter") is { } keyword)
        {
            if (keyword.Length == 0 || !keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                reading.Fail(parameter, $"parameter must be an ESMTP keyword such as SIZE or BODY, not '{keyword}'");
            }

            conditions = conditions with { Parameter = keyword.ToUpperInvariant() };
        }

        if (keys.TryGetValue("probability", out var probability))
        {
            conditions = conditions with { Probability = reading.Double(probability, "probability", 0, 1) };
        }

        conditions = ReadAuthConditions(reading, keys, conditions);
        if (keys.TryGetValue("sequence", out var sequence)
            && ReadWord<SequenceCondition>(reading, sequence, "sequence", ["in", "out", "any"], "in (the default: only where the command is in sequence), out or any") is { } order)
        {
            conditions = conditions with { Sequence = order };
        }

        return conditions;
    }

    /// <summary>The value of <typeparamref name="T"/> a lower-case word in <paramref name="allowed"/> names, or null (a problem for any other word).</summary>
    private static T? ReadWord<T>(YamlReading reading, YamlNode node, string what, string[] allowed, string expected)
        where T : struct, Enum
    {
        var text = reading.String(node, what);
        if (text is not null && allowed.Contains(text))
        {
            return Enum.Parse<T>(text, ignoreCase: true);
        }

        if (text is not null)
        {
            reading.Fail(node, $"{what} must be {expected}, not '{text}'");
        }

        return null;
    }

    private static SessionSelector? ReadSessions(YamlReading reading, YamlNode node)
    {
        var ranges = new List<(long, long)>();
        foreach (var (text, item) in reading.OneOrMany(node, "session"))
        {
            var parts = text.Split('-', 2);
            if (parts.All(p => long.TryParse(p.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                var from = long.Parse(parts[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                var to = parts.Length == 2 ? long.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture) : from;
                if (from >= 1 && to >= from)
                {
                    ranges.Add((from, to));
                    continue;
                }
            }

            reading.Fail(item, $"session must be a connection number from 1, a list of them, or a range such as \"2-5\", not '{text}'");
        }

        return new SessionSelector(ranges);
    }

    private static RuleConditions ReadAuthConditions(YamlReading reading, IReadOnlyDictionary<string, YamlNode> keys, RuleConditions conditions)
    {
        if (keys.TryGetValue("mechanism", out var mechanism) && reading.String(mechanism, "mechanism") is { } name)
        {
            if (SaslMechanisms.TryParse(name, out var parsed))
            {
                conditions = conditions with { Mechanism = parsed.Name() };
            }
            else
            {
                reading.Fail(mechanism, $"mechanism must be one of {string.Join(", ", SaslMechanisms.All.Select(m => m.Name()))}, not '{name}'");
            }
        }

        if (keys.TryGetValue("user", out var user) && reading.String(user, "user") is { } userGlob)
        {
            conditions = conditions with { User = Glob.ToRegex(userGlob) };
        }

        if (keys.TryGetValue("tls", out var tls) && reading.String(tls, "tls") is { } text)
        {
            if (text is "true" or "false")
            {
                conditions = conditions with { Tls = text == "true" };
            }
            else
            {
                reading.Fail(tls, $"tls must be true (only over TLS) or false (only in plaintext), not '{text}'");
            }
        }

        return conditions;
    }
}
