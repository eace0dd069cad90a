using System.Text;
using System.Text.RegularExpressions;
using SmtpMock.Protocol.Replies;
using YamlDotNet.RepresentationModel;

using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>Reads and checks one entry of <c>rules:</c>.</summary>
internal static partial class RuleLoader
{
    private const int MaxRawOctets = 64 * 1024;
    private static readonly string[] RuleKeys = ["name", "on", "when", "reply", "raw", "delay", "then", "times", "key", "for", "after", "throttle", "fragment", "tls"];
    private static readonly string[] WhenKeys = ["nth", "per", "session", "argument", "sender", "recipient", "parameter", "probability", "sequence", "mechanism", "user", "tls"];

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

        var when = keys.TryGetValue("when", out var w) ? ReadWhen(reading, w) : new RuleConditions();
        RuleReply? reply = null;
        if (keys.TryGetValue("reply", out var r))
        {
            reply = ReadReply(reading, r, points);
        }

        if (keys.TryGetValue("raw", out var raw))
        {
            if (reply is not null)
            {
                reading.Fail(raw, "give either 'reply' or 'raw', not both");
            }
            else if (reading.String(raw, "raw") is { } text)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                if (bytes.Length is 0 or > MaxRawOctets)
                {
                    reading.Fail(raw, $"raw must be 1 to {MaxRawOctets} octets");
                }

                reply = new RuleReply.Raw(bytes);
            }
        }

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
            reading.Fail(r!, "reply: none says nothing, so it needs 'then: close', 'then: reset' or 'then: hang' (every command gets a reply, a closed connection or a hang)");
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

    private static RuleReply? ReadReply(YamlReading reading, YamlNode node, IReadOnlyCollection<ScenarioPoint> points)
    {
        if (node is YamlScalarNode { Value: "none" })
        {
            return new RuleReply.Silence();
        }

        if (node is YamlScalarNode)
        {
            var code = reading.Int(node, "reply code", 200, 599);
            return code is null ? null : RuleReply.Standard.ForCode(code.Value, points);
        }

        var keys = reading.Mapping(node, "reply", ["code", "enhanced", "text"]);
        if (!keys.TryGetValue("code", out var codeNode))
        {
            reading.Fail(node, "reply needs a 'code' (200 to 599)");
            return null;
        }

        var full = reading.Int(codeNode, "reply code", 200, 599);
        if (full is null)
        {
            return null;
        }

        string? enhanced = null;
        var enhancedGiven = false;
        if (keys.TryGetValue("enhanced", out var e))
        {
            var text = reading.String(e, "enhanced");
            if (text is "none")
            {
                enhancedGiven = true;
            }
            else if (text is not null)
            {
                if (!EnhancedStatusCode.IsWellFormed(text))
                {
                    reading.Fail(e, $"enhanced code '{text}' is not class.subject.detail with class 2, 4 or 5 (RFC 3463)");
                    return null;
                }

                if (!EnhancedStatusCode.IsValidFor(full.Value, text))
                {
                    reading.Fail(e, $"enhanced code {text} is of class {text[0]} but the reply code {full} is of class {full / 100} (RFC 3463 §3)");
                    return null;
                }

                (enhanced, enhancedGiven) = (text, true);
            }
        }

        List<string>? lines = keys.TryGetValue("text", out var t) ? [.. reading.OneOrMany(t, "text").Select(x => x.Text)] : null;
        if (lines is not null)
        {
            // Each line must fit a reply line (RFC 5321 §4.5.3.1.5) with the longest enhanced code it is sent with.
            var longest = enhancedGiven ? enhanced : points.Select(p => PointReplies.EnhancedFor(p, full.Value)).MaxBy(e => e?.Length ?? 0);
            if (!lines.All(line => ScenarioLoader.CheckReplyText(reading, t!, line, full.Value / 100 == 3 ? null : longest)))
            {
                return null;
            }
        }

        return RuleReply.Standard.ForCode(full.Value, points, enhanced, enhancedGiven, lines);
    }
}
