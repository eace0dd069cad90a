using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Session;

/// <summary>Where a command leads from a state: <see cref="Allowed"/> false is a bad sequence (503, state unchanged).</summary>
internal readonly record struct Transition(bool Allowed, SessionState Next);

/// <summary>
/// THE state machine, in one screen: for each verb and state, where success leads, or X (out of sequence: 503 and the
/// state stays as it was, RFC 5321 §4.1.4). The session asks it once per command; the handler then decides the
/// reply, and a refusal for any other reason (501, 552...) also leaves the state as it was. Secure and plain
/// sessions share the table: TLS and AUTH are facts of the session, not columns here.
/// </summary>
internal static class StateTable
{
    private const SessionState C = SessionState.Connected;
    private const SessionState R = SessionState.Ready;
    private const SessionState S = SessionState.HaveSender;
    private const SessionState H = SessionState.HaveRecipients;
    private const SessionState K = SessionState.Chunking;
    private const SessionState X = (SessionState)(-1); // out of sequence
    private const SessionState _ = (SessionState)(-2); // allowed, state unchanged

    //                                                     Connected Ready HaveSender HaveRecipients Chunking Refused
    private static readonly SessionState[][] Rows = Build(new()
    {
        [SmtpVerb.Ehlo] = /*     drops a transaction        */ [R, R, R, R, R, X],
        [SmtpVerb.Helo] = /*     drops a transaction        */ [R, R, R, R, R, X],
        [SmtpVerb.Mail] = /*                                */ [X, S, X, X, X, X],
        [SmtpVerb.Rcpt] = /*                                */ [X, X, H, H, X, X],
        [SmtpVerb.Data] = /*     354, content, then Ready   */ [X, X, X, R, X, X],
        [SmtpVerb.Bdat] = /*     BDAT n LAST leads to Ready */ [X, X, X, K, K, X],
        [SmtpVerb.Rset] = /*                                */ [C, R, R, R, R, X],
        [SmtpVerb.Noop] = /*                                */ [_, _, _, _, _, X],
        [SmtpVerb.Quit] = /*     221 and close              */ [_, _, _, _, _, _],
        [SmtpVerb.Vrfy] = /*                                */ [_, _, _, _, _, X],
        [SmtpVerb.Expn] = /*                                */ [_, _, _, _, _, X],
        [SmtpVerb.Help] = /*                                */ [_, _, _, _, _, X],
        [SmtpVerb.StartTls] = /* 220, handshake, start over */ [C, C, X, X, X, X],
        [SmtpVerb.Auth] = /*     after EHLO, no transaction */ [X, _, X, X, X, X],
        [SmtpVerb.Unknown] = /*  500, never 503             */ [_, _, _, _, _, X],
    });

    /// <summary>Where <paramref name="verb"/> leads from <paramref name="state"/>.</summary>
    public static Transition Lookup(SessionState state, SmtpVerb verb)
    {
        var next = Rows[(int)verb][(int)state];
        return next == X ? new Transition(false, state) : new Transition(true, next == _ ? state : next);
    }

    /// <summary>True when <paramref name="verb"/> may be given in <paramref name="state"/>.</summary>
    public static bool IsAllowed(SessionState state, SmtpVerb verb) => Lookup(state, verb).Allowed;

    private static SessionState[][] Build(Dictionary<SmtpVerb, SessionState[]> rows)
    {
        var verbs = Enum.GetValues<SmtpVerb>();
        var states = Enum.GetValues<SessionState>().Length;
        var table = new SessionState[verbs.Length][];
        foreach (var verb in verbs)
        {
            table[(int)verb] = rows.TryGetValue(verb, out var row) && row.Length == states
                ? row
                : throw new InvalidOperationException($"The state table needs a row of {states} states for {verb}.");
        }

        return table;
    }
}
