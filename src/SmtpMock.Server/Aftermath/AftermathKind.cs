namespace SmtpMock.Server.Aftermath;

/// <summary>What a mail path sends back after it accepted a message with 250.</summary>
internal enum AftermathKind
{
    /// <summary>A delivery status notification (RFC 3464): the message failed, or is delayed, after acceptance.</summary>
    Bounce,

    /// <summary>An automatic response such as an out-of-office notice (RFC 3834).</summary>
    AutoReply,

    /// <summary>A feedback report (RFC 5965, ARF): a recipient marked the message as spam, fraud...</summary>
    Complaint,
}

/// <summary>The names the generated messages carry in <see cref="GeneratedHeaders.Generated"/>.</summary>
internal static class AftermathKinds
{
    public static string Name(AftermathKind kind) => kind switch
    {
        AftermathKind.Bounce => "bounce",
        AftermathKind.AutoReply => "autoreply",
        AftermathKind.Complaint => "complaint",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
