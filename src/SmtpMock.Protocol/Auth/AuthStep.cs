using SmtpMock.Protocol.Replies;

namespace SmtpMock.Protocol.Auth;

/// <summary>
/// What an <see cref="AuthExchange"/> wants next. The session writes <see cref="Challenge"/> and reads a line,
/// checks <see cref="Verify"/> against its credentials, and ends the exchange on <see cref="Succeeded"/> or
/// <see cref="Fail"/>. The exchange never writes: scenarios can step in at every point.
/// </summary>
internal abstract record AuthStep
{
    private AuthStep()
    {
    }

    /// <summary>Send <see cref="Reply"/> (<c>334 text</c>) and pass the client's next line to <see cref="AuthExchange.Next"/>.</summary>
    /// <param name="Text">The base64 challenge text (may be empty: <c>334 </c>).</param>
    public sealed record Challenge(string Text) : AuthStep
    {
        public SmtpReply Reply { get; } = SecurityReplies.AuthChallenge(Text);
    }

    /// <summary>Check <see cref="Credential"/> and pass the verdict to <see cref="AuthExchange.Complete"/>.</summary>
    public sealed record Verify(AuthCredential Credential) : AuthStep;

    /// <summary>The client is authenticated as <see cref="User"/>; send <see cref="Reply"/> (235 2.7.0).</summary>
    public sealed record Succeeded(string User, SaslMechanism Mechanism) : AuthStep
    {
        public SmtpReply Reply => SecurityReplies.AuthSucceeded;
    }

    /// <summary>The exchange is over without authentication; send <see cref="Reply"/>.</summary>
    public sealed record Fail(SmtpReply Reply) : AuthStep;
}
