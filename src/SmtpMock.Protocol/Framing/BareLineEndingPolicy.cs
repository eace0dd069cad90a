namespace SmtpMock.Protocol.Framing;

/// <summary>What to do with a bare CR or bare LF inside message content (they never end the message).</summary>
public enum BareLineEndingPolicy
{
    /// <summary>Store each bare CR or LF as CRLF (Postfix's default, <c>smtpd_forbid_bare_newline = normalize</c>).</summary>
    Normalize,

    /// <summary>Store the bytes exactly as they came.</summary>
    Keep,

    /// <summary>Read to the end of data, then reject the message with 554 5.6.0.</summary>
    Reject,
}
