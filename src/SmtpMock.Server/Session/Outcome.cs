using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// The server's own verdict on one step: the reply and what it does (its effect). Handlers decide, the session writes:
/// an outcome is only a value until the session applies it; where the state goes is <see cref="StateTable"/>'s to say.
/// </summary>
internal readonly record struct Outcome(SmtpReply Reply, SessionEffect Effect = SessionEffect.None)
{
    /// <summary>An error: the reply, and the state stays as it was (RFC 5321 §4.1.4).</summary>
    public static Outcome Refuse(SmtpReply reply) => new(reply);
}
