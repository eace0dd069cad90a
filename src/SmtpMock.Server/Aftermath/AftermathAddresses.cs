using System.Globalization;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// The zero-config recipients at <c>smtpmock.test</c> that accept a message with 250 and then answer it as a real
/// mail path would, later: <c>bounce@</c> and <c>bounce-CODE@</c> (a DSN), <c>ooto@</c> (an out-of-office reply),
/// <c>complaint@</c> and <c>complaint-TYPE@</c> (a feedback report). A plus-label (<c>bounce+signup@</c>) is kept for
/// tags and ignored here.
/// </summary>
internal static class AftermathAddresses
{
    /// <summary>The forms, for the start-up line and the docs.</summary>
    public const string Forms = "bounce@, bounce-552@ (any 4xx/5xx code), ooto@, complaint@, complaint-fraud@";

    /// <summary>Whether the local part (lower case) is a trigger, so RCPT accepts it.</summary>
    public static bool IsTrigger(string local) => Plan(local, string.Empty) is not null;

    /// <summary>What each trigger recipient of <paramref name="message"/> asks for; bounces of one message go in one DSN per code.</summary>
    public static IReadOnlyList<AftermathPlan> PlansFor(CapturedMessage message)
    {
        if (!AnySimulated(message.Recipients))
        {
            return []; // every message takes this way but the simulator's: no LINQ, no allocation
        }

        var found = message.Recipients.Where(r => FailureAddresses.IsSimulated(r.Path))
            .Select(r => Plan(r.Path.LocalPart.ToLowerInvariant(), r.Address)).OfType<AftermathPlan>().ToList();
        var bounces = found.Where(p => p.Kind == AftermathKind.Bounce).GroupBy(p => p.BounceCode)
            .Select(g => g.First() with { Recipients = [.. g.SelectMany(p => p.Recipients!)] });
        return [.. bounces, .. found.Where(p => p.Kind != AftermathKind.Bounce)];
    }

    private static bool AnySimulated(IReadOnlyList<Recipient> recipients)
    {
        for (var i = 0; i < recipients.Count; i++)
        {
            if (FailureAddresses.IsSimulated(recipients[i].Path))
            {
                return true;
            }
        }

        return false;
    }

    private static AftermathPlan? Plan(string local, string address)
    {
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        var name = plus < 0 ? local : local[..plus];
        var source = "address " + (address.Length > 0 ? address : name);
        if (name == "bounce")
        {
            return new AftermathPlan(AftermathKind.Bounce, [address]) { Source = source };
        }

        if (name.StartsWith("bounce-", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan("bounce-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            && code is >= 400 and <= 599 && name.Length == "bounce-".Length + 3)
        {
            return new AftermathPlan(AftermathKind.Bounce, [address]) { BounceCode = code, Source = source };
        }

        if (name == "ooto")
        {
            return new AftermathPlan(AftermathKind.AutoReply, [address]) { Source = source };
        }

        if (name == "complaint")
        {
            return new AftermathPlan(AftermathKind.Complaint, [address]) { Source = source };
        }

        return name.StartsWith("complaint-", StringComparison.Ordinal) && FeedbackTypes.TryParse(name["complaint-".Length..], out var type)
            ? new AftermathPlan(AftermathKind.Complaint, [address]) { Feedback = type, Source = source }
            : null;
    }
}
