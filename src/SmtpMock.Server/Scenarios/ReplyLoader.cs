using System.Text;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Reads what a rule answers with: <c>reply:</c> (a code, <c>none</c>, or a code with enhanced code and text,
/// checked against RFC 3463 and the reply line length) or <c>raw:</c> (bytes sent as they are), never both.
/// </summary>
internal static class ReplyLoader
{
    private const int MaxRawOctets = 64 * 1024;

    public static RuleReply? Read(YamlReading reading, IReadOnlyDictionary<string, YamlNode> keys, IReadOnlyCollection<ScenarioPoint> points)
    {
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

        return reply;
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
