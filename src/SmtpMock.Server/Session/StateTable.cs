using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Session;

/// <summary>
/// THE state machine, in one screen and two parts. Which commands each state takes (X: out of sequence, 503, state
/// unchanged, RFC 5321 §4.1.4); and where each effect leads from each state. The session asks the first before a
/// command and the second after its verdict, and writes no state of its own. STARTTLS, the AUTH exchange, DATA content
/// and a refusing greeting are states here too: there is no second machine beside this one.
/// </summary>
internal static class StateTable
{
    private const SessionState C = SessionState.Connected;
    private const SessionState R = SessionState.Ready;
    private const SessionState S = SessionState.HaveSender;
    private const SessionState H = SessionState.HaveRecipients;
    private const SessionState K = SessionState.Chunking;
    private const SessionState F = SessionState.Refused;
    private const SessionState D = SessionState.ReceivingData;
    private const SessionState A = SessionState.Authenticating;
    private const SessionState T = SessionState.StartingTls;
    private const SessionState X = (SessionState)(-1); // out of sequence / cannot happen
    private const SessionState _ = (SessionState)(-2); // allowed, state unchanged

    // No command is read in D, A or T: content, an AUTH answer or a handshake comes instead.
    //                                              Connected Ready HaveSender HaveRecipients Chunking Refused Data Auth Tls
    private static readonly bool[][] Commands = Build(new Dictionary<SmtpVerb, int[]>
    {
        [SmtpVerb.Ehlo] = /*     drops a transaction  */ [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [SmtpVerb.Helo] = /*     drops a transaction  */ [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [SmtpVerb.Mail] = /*                          */ [0, 1, 0, 0, 0, 0, 0, 0, 0],
        [SmtpVerb.Rcpt] = /*                          */ [0, 0, 1, 1, 0, 0, 0, 0, 0],
        [SmtpVerb.Data] = /*     354, then content    */ [0, 0, 0, 1, 0, 0, 0, 0, 0],
        [SmtpVerb.Bdat] = /*     the chunk follows    */ [0, 0, 0, 1, 1, 0, 0, 0, 0],
        [SmtpVerb.Rset] = /*                          */ [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [SmtpVerb.Noop] = /*                          */ [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [SmtpVerb.Quit] = /*     221 and close        */ [1, 1, 1, 1, 1, 1, 0, 0, 0],
        [SmtpVerb.Vrfy] = /*                          */ [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [SmtpVerb.Expn] = /*                          */ [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [SmtpVerb.Help] = /*                          */ [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [SmtpVerb.StartTls] = /* no transaction open  */ [1, 1, 0, 0, 0, 0, 0, 0, 0],
        [SmtpVerb.Auth] = /*     after EHLO, no trans */ [0, 1, 0, 0, 0, 0, 0, 0, 0],
        [SmtpVerb.Unknown] = /*  500, never 503       */ [1, 1, 1, 1, 1, 0, 0, 0, 0],
    }, cell => cell == 1);

    //                                                    Connected Ready HaveSender HaveRecipients Chunking Refused Data Auth Tls
    private static readonly SessionState[][] Effects = Build(new Dictionary<SessionEffect, SessionState[]>
    {
        [SessionEffect.None] = /*           a refusal    */ [_, _, _, _, _, _, _, _, _],
        [SessionEffect.Close] = /*          221, 421     */ [_, _, _, _, _, _, _, _, _],
        [SessionEffect.Greet] = /*                       */ [R, R, R, R, R, X, X, X, X],
        [SessionEffect.RefuseService] = /*  554 greeting */ [F, X, X, X, X, X, X, X, X],
        [SessionEffect.SetSender] = /*                   */ [X, S, X, X, X, X, X, X, X],
        [SessionEffect.AddRecipient] = /*                */ [X, X, H, H, X, X, X, X, X],
        [SessionEffect.RejectRecipient] = /*             */ [X, X, _, _, X, X, X, X, X],
        [SessionEffect.Reset] = /*                       */ [C, R, R, R, R, X, X, X, X],
        [SessionEffect.BeginData] = /*      354          */ [X, X, X, D, X, X, X, X, X],
        [SessionEffect.TakeChunk] = /*                   */ [X, X, X, K, K, X, X, X, X],
        [SessionEffect.EndTransaction] = /*              */ [X, R, R, R, R, X, R, X, X],
        [SessionEffect.StartTls] = /*       220          */ [T, T, X, X, X, X, X, X, X],
        [SessionEffect.TlsStarted] = /*     start over   */ [X, X, X, X, X, X, X, X, C],
        [SessionEffect.BeginAuth] = /*      first step   */ [X, _, X, X, X, X, X, X, X],
        [SessionEffect.AuthContinue] = /*   334          */ [X, A, X, X, X, X, X, A, X],
        [SessionEffect.Authenticated] = /*  235          */ [X, R, X, X, X, X, X, R, X],
        [SessionEffect.AuthFailed] = /*     535          */ [X, R, X, X, X, X, X, R, X],
        [SessionEffect.AuthEnded] = /*      *, 501       */ [X, R, X, X, X, X, X, R, X],
    }, cell => cell);

    /// <summary>True when <paramref name="verb"/> may be given in <paramref name="state"/>; false is a bad sequence (503).</summary>
    public static bool IsAllowed(SessionState state, SmtpVerb verb) => Commands[(int)verb][(int)state];

    /// <summary>Where <paramref name="effect"/> leads from <paramref name="state"/>.</summary>
    /// <exception cref="InvalidOperationException">The effect cannot happen in that state: a bug, never what a client sent.</exception>
    public static SessionState Next(SessionState state, SessionEffect effect)
    {
        var next = Effects[(int)effect][(int)state];
        return next == _ ? state
            : next == X ? throw new InvalidOperationException($"{effect} cannot happen in {state}")
            : next;
    }

    /// <summary>True when <paramref name="effect"/> can happen in <paramref name="state"/>.</summary>
    public static bool CanHappen(SessionState state, SessionEffect effect) => Effects[(int)effect][(int)state] != X;

    private static TOut[][] Build<TRow, TIn, TOut>(Dictionary<TRow, TIn[]> rows, Func<TIn, TOut> cell)
        where TRow : struct, Enum
    {
        var states = Enum.GetValues<SessionState>().Length;
        var keys = Enum.GetValues<TRow>();
        var table = new TOut[keys.Length][];
        foreach (var key in keys)
        {
            table[Convert.ToInt32(key, System.Globalization.CultureInfo.InvariantCulture)] = rows.TryGetValue(key, out var row) && row.Length == states
                ? [.. row.Select(cell)]
                : throw new InvalidOperationException($"The state table needs a row of {states} cells for {key}.");
        }

        return table;
    }
}
