namespace SmtpMock.Server.Aftermath;

/// <summary>
/// What to send back about one accepted message, and when: from a trigger address (<c>bounce-552@smtpmock.test</c>)
/// or a scenario rule (<c>after: { bounce: 552, delay: 5s }</c>).
/// </summary>
/// <param name="Kind">A bounce, an auto-reply or a complaint.</param>
/// <param name="Recipients">The recipients it is about (who failed, who answers, who complained); null: every recipient of the message.</param>
internal sealed record AftermathPlan(AftermathKind Kind, IReadOnlyList<string>? Recipients)
{
    /// <summary>The reply code the next server gave, for a bounce (550: no such mailbox).</summary>
    public int BounceCode { get; init; } = 550;

    /// <summary>What the recipient reported, for a complaint.</summary>
    public FeedbackType Feedback { get; init; } = FeedbackType.Abuse;

    /// <summary>How long after the message was accepted it is generated, on the server's clock.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Where it came from, for the log: a rule's name or the trigger address.</summary>
    public string Source { get; init; } = string.Empty;

    public override string ToString() => Kind switch
    {
        AftermathKind.Bounce => $"bounce {BounceCode}",
        AftermathKind.Complaint => $"complaint {FeedbackTypes.Name(Feedback)}",
        _ => AftermathKinds.Name(Kind),
    };
}
