namespace SmtpMock.Server.Session;

/// <summary>
/// Where a session stands (RFC 5321 §4.1.4, RFC 3030 §2, RFC 3207, RFC 4954). <see cref="StateTable"/> is the only code
/// that says which state follows which: the session only ever asks it.
/// </summary>
public enum SessionState
{
    /// <summary>Greeting sent; no EHLO/HELO accepted yet.</summary>
    Connected,

    /// <summary>EHLO/HELO accepted; no transaction open.</summary>
    Ready,

    /// <summary>MAIL accepted; no recipient accepted yet.</summary>
    HaveSender,

    /// <summary>At least one RCPT accepted.</summary>
    HaveRecipients,

    /// <summary>At least one BDAT chunk taken, the LAST one not yet.</summary>
    Chunking,

    /// <summary>The greeting refused service (a scenario's 554 at connect): only QUIT is served (RFC 5321 §3.1).</summary>
    Refused,

    /// <summary>354 sent: what comes is message content, up to CRLF.CRLF.</summary>
    ReceivingData,

    /// <summary>334 sent: the next line answers the AUTH exchange's challenge, it is not a command (RFC 4954 §4).</summary>
    Authenticating,

    /// <summary>220 to STARTTLS sent: the handshake comes next, then the session starts over (RFC 3207 §4.2).</summary>
    StartingTls,
}
