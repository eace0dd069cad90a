using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Session;

/// <summary>
/// THE state table: which verb is in sequence in which state. Secure and plain sessions share it. A verb out of
/// sequence gets 503 5.5.1 and leaves the state as it was (RFC 5321 §4.1.4); where each command leads is decided by
/// its handler in <see cref="DefaultResponder"/>.
/// </summary>
public static class StateTable
{
    private const bool Y = true;
    private const bool N = false;

    //                                                 Connected  Ready  HaveSender  HaveRecipients  Chunking
    private static readonly Dictionary<SmtpVerb, bool[]> Allowed = new()
    {
        [SmtpVerb.Ehlo] = /*      resets a transaction */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Helo] = /*      resets a transaction */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Mail] = /*                           */ [N, Y, N, N, N],
        [SmtpVerb.Rcpt] = /*                           */ [N, N, Y, Y, N],
        [SmtpVerb.Data] = /*                           */ [N, N, N, Y, N],
        [SmtpVerb.Bdat] = /*                           */ [N, N, N, Y, Y],
        [SmtpVerb.Rset] = /*                           */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Noop] = /*                           */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Quit] = /*                           */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Vrfy] = /*                           */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Expn] = /*                           */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Help] = /*                           */ [Y, Y, Y, Y, Y],
        [SmtpVerb.StartTls] = /*  not yet implemented  */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Auth] = /*      not yet implemented  */ [Y, Y, Y, Y, Y],
        [SmtpVerb.Unknown] = /*   500, never 503       */ [Y, Y, Y, Y, Y],
    };

    /// <summary>True when <paramref name="verb"/> may be given in <paramref name="state"/>.</summary>
    public static bool IsAllowed(SessionState state, SmtpVerb verb) => Allowed[verb][(int)state];
}
