namespace SmtpMock.Server.Session;

/// <summary>Where a session stands between commands (RFC 5321 §4.1.4, RFC 3030 §2). <see cref="StateTable"/> moves it.</summary>
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
}
