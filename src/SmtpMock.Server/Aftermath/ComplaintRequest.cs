namespace SmtpMock.Server.Aftermath;

/// <summary>What a recipient reported about a message: RFC 5965's feedback types, and not-spam from RFC 6430.</summary>
internal enum FeedbackType
{
    /// <summary>Unsolicited mail or another kind of abuse: the "this is spam" button.</summary>
    Abuse,

    /// <summary>Fraud or phishing.</summary>
    Fraud,

    /// <summary>It carried a virus.</summary>
    Virus,

    /// <summary>Any other kind of complaint.</summary>
    Other,

    /// <summary>The reverse: a message filed as spam was marked as not spam (RFC 6430).</summary>
    NotSpam,
}

/// <summary>The names the <c>Feedback-Type</c> field uses, and the one place that reads them.</summary>
internal static class FeedbackTypes
{
    private static readonly (FeedbackType Type, string Name)[] All =
        [(FeedbackType.Abuse, "abuse"), (FeedbackType.Fraud, "fraud"), (FeedbackType.Virus, "virus"), (FeedbackType.Other, "other"), (FeedbackType.NotSpam, "not-spam")];

    /// <summary>abuse, fraud, virus, other, not-spam: for an error that lists what would have been accepted.</summary>
    public static IEnumerable<string> Names => All.Select(known => known.Name);

    public static string Name(FeedbackType type) =>
        All.FirstOrDefault(known => known.Type == type).Name ?? throw new ArgumentOutOfRangeException(nameof(type), type, null);

    /// <summary>A name as a scenario or an address gives it (<c>complaint: fraud</c>), without regard to case.</summary>
    public static bool TryParse(string name, out FeedbackType type)
    {
        foreach (var known in All)
        {
            if (known.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                type = known.Type;
                return true;
            }
        }

        type = default;
        return false;
    }
}

/// <summary>What a feedback report says, and about whom.</summary>
internal sealed record ComplaintRequest
{
    public FeedbackType Type { get; init; } = FeedbackType.Abuse;

    /// <summary>The recipients who complained (<c>Original-Rcpt-To</c>); null: every recipient of the original.</summary>
    public IReadOnlyList<string>? Complainants { get; init; }

    /// <summary>True (the default): the whole original as message/rfc822; false: its header fields only (RFC 5965 §2 allows either).</summary>
    public bool IncludeFullMessage { get; init; } = true;
}
