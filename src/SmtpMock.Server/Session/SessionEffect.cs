namespace SmtpMock.Server.Session;

/// <summary>
/// What happened, as far as the state is concerned: each verdict carries one, and <see cref="StateTable"/> says where it
/// leads from each state. A refusal is <see cref="None"/>: the state stays as it was (RFC 5321 §4.1.4).
/// </summary>
internal enum SessionEffect
{
    None,

    /// <summary>EHLO/HELO accepted: remember the name, drop any transaction.</summary>
    Greet,

    /// <summary>A greeting that refuses service (554): from now on only QUIT is served.</summary>
    RefuseService,

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

    /// <summary>A BDAT chunk other than the LAST was taken.</summary>
    TakeChunk,

    /// <summary>A message or chunk ended the transaction (the message was stored if the reply is 250).</summary>
    EndTransaction,

    /// <summary>Close the connection after the reply (221, 421).</summary>
    Close,

    /// <summary>220 to STARTTLS: flush, drop the buffered plaintext, handshake.</summary>
    StartTls,

    /// <summary>The handshake succeeded: the session starts over, as if just connected.</summary>
    TlsStarted,

    /// <summary>AUTH may go ahead: the session starts the SASL exchange, whose first step gives the real reply.</summary>
    BeginAuth,

    /// <summary>334 sent: the next line answers the challenge.</summary>
    AuthContinue,

    /// <summary>235 sent: the client is authenticated.</summary>
    Authenticated,

    /// <summary>AUTH refused the credentials (535): counts towards the session's AUTH failure limit.</summary>
    AuthFailed,

    /// <summary>The exchange ended otherwise (cancelled with *, a malformed answer): no login, no failure counted.</summary>
    AuthEnded,
}
