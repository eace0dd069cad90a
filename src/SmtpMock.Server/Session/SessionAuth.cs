using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// AUTH (RFC 4954) in one session: the SASL exchange the responder let start, its steps as <see cref="Outcome"/>s that
/// go through the verdict like any command's (so scenario rules at AUTH see the mechanism and, once given, the user),
/// the failure limit, and what the transcript may show. Secrets never reach the transcript or the log
/// (<see cref="AuthRedaction"/>).
/// </summary>
internal sealed class SessionAuth(SessionContext context, SessionOptions options, SessionEvents events)
{
    private AuthExchange? _exchange;

    /// <summary>
    /// Command lines still to be looked at as possible credentials: an AUTH refused before its exchange (a 538, a 504)
    /// may be followed by the user name and password a LOGIN client sends anyway.
    /// </summary>
    private int _linesAfterRefusedAuth;

    /// <summary>The AUTH command of the exchange under way (its continuation lines are decided as that command).</summary>
    public SmtpCommand? Command { get; private set; }

    /// <summary>The responder let AUTH go ahead: the exchange starts and its first step is the reply.</summary>
    public Outcome Begin(SmtpCommand command, Func<AuthCredential, bool> check)
    {
        Command = command;
        context.AuthUser = null;
        _exchange = AuthExchange.FromArgument(command.Argument, new AuthExchangeOptions { Hostname = options.Hostname, TimeProvider = options.TimeProvider });
        context.AuthMechanism = _exchange.Mechanism?.Name();
        return ToOutcome(_exchange.Step, check);
    }

    /// <summary>A line in answer to a 334: the exchange's next step.</summary>
    public Outcome Next(string line, Func<AuthCredential, bool> check) => ToOutcome(_exchange!.Next(line), check);

    /// <summary>An AUTH command was answered: a refusal before any exchange makes the next lines suspect.</summary>
    public void Answered(SmtpReply reply)
    {
        if (_exchange is null && !reply.IsPositive)
        {
            // LOGIN sends two lines (user, password), PLAIN one: watch as many as the longest.
            _linesAfterRefusedAuth = 2;
        }
    }

    /// <summary>What an applied verdict does to the exchange: wait for a line, authenticate, count a failure, or end it.</summary>
    public void Apply(Verdict verdict)
    {
        switch (verdict.Effect)
        {
            case SessionEffect.AuthContinue:
                return;
            case SessionEffect.Authenticated:
                context.AuthenticatedUser = context.AuthUser;
                events.Note($"authenticated as '{context.AuthUser}' with {context.AuthMechanism}");
                events.Authentication(context.AuthUser, context.AuthMechanism, succeeded: true, verdict.Reply);
                break;
            case SessionEffect.AuthFailed:
                context.AuthFailures++;
                // Who tried and how, as a success is noted; the password never (it is not kept anywhere).
                events.Note(context.AuthUser is { } user
                    ? $"authentication failed for '{user}' with {context.AuthMechanism} ({verdict.Reply.Code} {verdict.Reply.Enhanced})"
                    : $"authentication failed with {context.AuthMechanism} ({verdict.Reply.Code} {verdict.Reply.Enhanced})");
                events.Authentication(context.AuthUser, context.AuthMechanism, succeeded: false, verdict.Reply);
                break;
            default:
                events.Authentication(context.AuthUser, context.AuthMechanism, succeeded: false, verdict.Reply);
                break;
        }

        End();
    }

    /// <summary>
    /// The refused login that reaches the limit is answered 421 4.7.0 in place of its 535, and the session closes
    /// (brute force); like the bad-command limit, one reply per command.
    /// </summary>
    public Verdict Limit(Verdict verdict) =>
        verdict.Effect == SessionEffect.AuthFailed && context.AuthFailures + 1 >= options.MaxAuthFailures
            ? verdict with { Reply = SecurityReplies.TooManyAuthFailures, CloseReason = $"{context.AuthFailures + 1} failed AUTH attempts" }
            : verdict;

    /// <summary>The exchange is over (or void: TLS started).</summary>
    public void End()
    {
        _exchange = null;
        Command = null;
    }

    /// <summary>
    /// A command line as the transcript and the log show it: an AUTH line (however it is spelled) with its secret masked,
    /// and right after a refused AUTH, a lone base64 word (a client sending credentials nobody asked for).
    /// </summary>
    public string Shown(SmtpCommand command)
    {
        var line = command.ToString();
        var afterRefusedAuth = _linesAfterRefusedAuth > 0;
        _linesAfterRefusedAuth = Math.Max(0, _linesAfterRefusedAuth - 1);
        if (AuthRedaction.IsAuthLine(line))
        {
            return AuthRedaction.Command(line);
        }

        return afterRefusedAuth && command.Verb == SmtpVerb.Unknown && AuthRedaction.LooksLikeCredential(line) ? AuthRedaction.Mask : line;
    }

    /// <summary>Checks credentials as soon as the exchange has them, then maps the step to an outcome.</summary>
    private Outcome ToOutcome(AuthStep step, Func<AuthCredential, bool> check)
    {
        while (step is AuthStep.Verify verify)
        {
            context.AuthUser = verify.Credential.User;
            step = _exchange!.Complete(check(verify.Credential));
        }

        return step switch
        {
            AuthStep.Challenge challenge => new Outcome(challenge.Reply, SessionEffect.AuthContinue),
            AuthStep.Succeeded succeeded => new Outcome(succeeded.Reply, SessionEffect.Authenticated),
            // Only refused credentials count towards the limit (brute force); a cancel or a syntax error is a bad command.
            AuthStep.Fail fail => new Outcome(fail.Reply, fail.Reply.Code == 535 ? SessionEffect.AuthFailed : SessionEffect.AuthEnded),
            _ => throw new InvalidOperationException($"AUTH step {step} cannot be answered"),
        };
    }
}
