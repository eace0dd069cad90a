using System.Text;
using System.Text.RegularExpressions;
using SmtpMock.Protocol.Replies;
using YamlDotNet.RepresentationModel;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>Reading a rule's <c>when:</c> conditions.</summary>
internal static partial class RuleLoader
{
    private static RuleConditions ReadWhen(YamlReading reading, YamlNode node)
    {
        var keys = reading.Mapping(node, "when", WhenKeys);
        var conditions = new RuleConditions();
        if (keys.TryGetValue("nth", out var nth))
        {
            conditions = conditions with { Nth = reading.Int(nth, "nth", 1, int.MaxValue) };
        }

        if (keys.TryGetValue("per", out var per))
        {
            var text = reading.String(per, "per");
            if (text is "session" or "transaction" or "server")
            {
                conditions = conditions with { Per = Enum.Parse<CountScope>(text, ignoreCase: true) };
            }
            else if (text is not null)
            {
                reading.Fail(per, $"per must be transaction, session or server, not '{text}'");
            }
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
        if (keys.TryGetValue("sequence", out var sequence))
        {
            var text = reading.String(sequence, "sequence");
            if (text is "in" or "out" or "any")
            {
                conditions = conditions with { Sequence = Enum.Parse<SequenceCondition>(text, ignoreCase: true) };
            }
            else if (text is not null)
            {
                reading.Fail(sequence, $"sequence must be in (the default: only where the command is in sequence), out or any, not '{text}'");
            }
        }

        return conditions;
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
}
