using SmtpMock.Server.Session;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>Reads and checks one entry of <c>rules:</c>.</summary>
internal static class RuleLoader
{
    private static readonly string[] RuleKeys = ["name", "on", "when", "reply", "raw", "delay", "then", "times", "key", "for", "after", "throttle", "fragment", "tls"];

    public static ScenarioRule? Read(YamlReading reading, YamlNode node, int index)
    {
        var before = reading.Problems.Count;
        var keys = reading.Mapping(node, $"rule {index}", RuleKeys);
        var name = keys.TryGetValue("name", out var n) ? reading.String(n, "name") ?? $"rule-{index}" : $"rule-{index}";

        var points = new HashSet<ScenarioPoint>();
        if (keys.TryGetValue("on", out var on))
        {
            foreach (var (text, item) in reading.OneOrMany(on, "on"))
            {
                if (ScenarioPoints.TryParse(text, out var point))
                {
                    points.Add(point);
                }
                else
                {
                    reading.Fail(item, $"unknown point '{text}' (expected one of: {string.Join(", ", ScenarioPoints.All.Select(p => p.Name()))})");
                }
            }
        }
        else
        {
            reading.Fail(node, $"rule '{name}' needs 'on': the point or points it acts at");
        }

        var when = keys.TryGetValue("when", out var w) ? ConditionLoader.Read(reading, w) : new RuleConditions();
        var reply = ReplyLoader.Read(reading, keys, points);
        var delay = keys.TryGetValue("delay", out var dl) ? reading.Duration(dl, "delay") ?? TimeSpan.Zero : TimeSpan.Zero;
        var faults = RuleFaults.Read(reading, keys, points);
        var times = keys.TryGetValue("times", out var t) ? reading.Int(t, "times", 1, int.MaxValue) : null;
        var key = new List<KeyPart>();
        if (keys.TryGetValue("key", out var k))
        {
            foreach (var (text, item) in reading.OneOrMany(k, "key"))
            {
                if (Enum.TryParse<KeyPart>(text, ignoreCase: true, out var part) && text.All(char.IsAsciiLetterLower))
                {
                    key.Add(part);
                }
                else
                {
                    reading.Fail(item, $"unknown key part '{text}' (expected client, sender, recipient or helo)");
                }
            }

            times ??= 1;
        }

        TimeSpan? window = null;
        if (keys.TryGetValue("for", out var f))
        {
            window = reading.Duration(f, "for");
            if (times is null)
            {
                reading.Fail(f, "'for' is a retry window for a rule with 'times' or 'key'");
            }
        }

        var after = keys.TryGetValue("after", out var a) ? AfterLoader.Read(reading, a, name, points) : null;
        if (reply is RuleReply.Silence && !faults.Ends)
        {
            reading.Fail(keys["reply"], "reply: none says nothing, so it needs 'then: close', 'then: reset' or 'then: hang' (every command gets a reply, a closed connection or a hang)");
        }

        if (!keys.ContainsKey("reply") && !keys.ContainsKey("raw") && !keys.ContainsKey("delay") && !keys.ContainsKey("after") && !faults.Acts && keys.Count > 0 && reading.Problems.Count == before)
        {
            reading.Fail(node, $"rule '{name}' does nothing: give it a reply, raw, delay, after, then, throttle, fragment or tls");
        }

        if (reading.Problems.Count > before)
        {
            return null;
        }

        return new ScenarioRule
        {
            Name = name,
            Points = points,
            When = when,
            Reply = reply,
            Delay = delay,
            Close = faults.Close,
            Hang = faults.Hang,
            Reset = faults.Reset,
            Throttle = faults.Throttle,
            Fragment = faults.Fragment,
            Tls = faults.Tls,
            Times = times,
            Key = key,
            RetryWindow = window,
            Line = (int)node.Start.Line,
            After = after,
        };
    }
}
