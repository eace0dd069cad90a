using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>What accepting a command does to the session besides replying.</summary>
internal enum SessionEffect
{
    None,

    /// <summary>EHLO/HELO accepted: remember the name, drop any transaction.</summary>
    Greet,

    /// <summary>MAIL accepted: open a transaction with this sender.</summary>
    SetSender,

    /// <summary>RCPT accepted: add the recipient.</summary>
    AddRecipient,

    /// <summary>RCPT refused: remembered so DATA can answer 554 rather than 503.</summary>
    RejectRecipient,

    /// <summary>RSET: drop the transaction.</summary>
    Reset,

    /// <summary>354 sent: what follows is message content.</summary>
    BeginData,

    /// <summary>A message or chunk ended: the transaction is over (the message was stored if the reply is 250).</summary>
    EndTransaction,

    /// <summary>Close the connection after the reply (221, 421).</summary>
    Close,

    /// <summary>220 to STARTTLS: flush, drop the buffered plaintext, handshake, start over (RFC 3207 §4.2).</summary>
    StartTls,

    /// <summary>AUTH may go ahead: the session starts the SASL exchange, whose first step gives the real reply.</summary>
    BeginAuth,

    /// <summary>334 sent: the next line is an AUTH continuation, not a command.</summary>
    AuthContinue,

    /// <summary>235 sent: the client is authenticated.</summary>
    Authenticated,

    /// <summary>AUTH refused the credentials (535): counts towards the session's AUTH failure limit.</summary>
    AuthFailed,
}

/// <summary>
/// The verdict on one command: the reply, the state after it and the effect. Handlers decide, the session writes:
/// an outcome is only a value until the session applies it.
/// </summary>
internal readonly record struct Outcome(SmtpReply Reply, SessionState Next, SessionEffect Effect = SessionEffect.None)
{
    /// <summary>An error: the reply, with the state left as it was (RFC 5321 §4.1.4).</summary>
    public static Outcome Refuse(SmtpReply reply, SessionState state) => new(reply, state);
}
