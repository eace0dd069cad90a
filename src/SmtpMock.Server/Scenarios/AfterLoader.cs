using SmtpMock.Server.Aftermath;
using SmtpMock.Server.Session;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Reads a rule's <c>after:</c>: one of <c>bounce: 550</c> (any 4xx or 5xx code; <c>true</c> for 550),
/// <c>autoreply: true</c> or <c>complaint: abuse</c> (a feedback type), and an optional <c>delay:</c>.
/// Only a rule on MESSAGE alone may have one: it is about the message the server accepted there.
/// </summary>
internal static class AfterLoader
{
    private static readonly string[] Keys = ["bounce", "autoreply", "complaint", "delay"];

    public static AftermathPlan? Read(YamlReading reading, YamlNode node, string rule, IReadOnlyCollection<ScenarioPoint> points)
    {
        if (points.Count != 1 || !points.Contains(ScenarioPoint.Message))
        {
            reading.Fail(node, $"rule '{rule}': 'after' is about an accepted message, so it needs 'on: MESSAGE' alone");
            return null;
        }

        var keys = reading.Mapping(node, "after", Keys);
        var kinds = keys.Keys.Where(k => k != "delay").ToList();
        if (kinds.Count != 1)
        {
            reading.Fail(node, "after needs exactly one of bounce, autoreply or complaint");
            return null;
        }

        var plan = Plan(reading, kinds[0], keys[kinds[0]]);
        if (plan is null)
        {
            return null;
        }

        var delay = keys.TryGetValue("delay", out var d) ? reading.Duration(d, "after delay") : TimeSpan.Zero;
        return delay is null ? null : plan with { Delay = delay.Value, Source = $"rule '{rule}'" };
    }

    private static AftermathPlan? Plan(YamlReading reading, string kind, YamlNode value)
    {
        var text = reading.String(value, kind);
        switch (kind, text)
        {
            case (_, null):
                return null;
            case ("bounce", "true"):
                return new AftermathPlan(AftermathKind.Bounce, null);
            case ("bounce", _):
                var code = reading.Int(value, "bounce code", 400, 599);
                return code is null ? null : new AftermathPlan(AftermathKind.Bounce, null) { BounceCode = code.Value };
            case ("autoreply", "true"):
                return new AftermathPlan(AftermathKind.AutoReply, null);
            case ("autoreply", _):
                reading.Fail(value, "autoreply must be true");
                return null;
            case ("complaint", "true"):
                return new AftermathPlan(AftermathKind.Complaint, null);
            default:
                if (FeedbackTypes.TryParse(text, out var type))
                {
                    return new AftermathPlan(AftermathKind.Complaint, null) { Feedback = type };
                }

                reading.Fail(value, $"unknown complaint type '{text}' (expected one of: {string.Join(", ", FeedbackTypes.Names)})");
                return null;
        }
    }
}
