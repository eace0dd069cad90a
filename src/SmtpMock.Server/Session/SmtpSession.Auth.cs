using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// AUTH (RFC 4954): the SASL exchange the responder let start. Each step is an <see cref="Outcome"/> that goes through
/// the verdict like any command's, so scenario rules at AUTH see the mechanism and, once given, the user. Secrets never
/// reach the transcript or the log (<see cref="AuthRedaction"/>).
/// </summary>
internal sealed partial class SmtpSession
{
    private AuthExchange? _exchange;
    private SmtpCommand? _authCommand;

    /// <summary>
    /// Command lines still to be looked at as possible credentials: an AUTH refused before its exchange (a 538, a 504)
    /// may be followed by the user name and password a LOGIN client sends anyway.
    /// </summary>
    private int _linesAfterRefusedAuth;

    /// <summary>The responder let AUTH go ahead: the exchange starts and its first step is the reply.</summary>
    private Outcome BeginAuth(SmtpCommand command)
    {
        _authCommand = command;
        Context.AuthUser = null;
        _exchange = AuthExchange.FromArgument(command.Argument, new AuthExchangeOptions { Hostname = _options.Hostname, TimeProvider = _options.TimeProvider });
        Context.AuthMechanism = _exchange.Mechanism?.Name();
        return AuthOutcome(_exchange.Step);
    }

    /// <summary>A line in answer to a 334: the exchange's next step, decided and applied as a command at AUTH.</summary>
    private async ValueTask AuthLineAsync(Step step, CancellationToken cancellationToken)
    {
        var command = _authCommand!;
        var outcome = step.Refusal ?? AuthOutcome(_exchange!.Next(step.AuthText!));
        var rule = step.Refusal is not null || _scenario is null ? null
            : await _scenario.DecideAsync(ScenarioPoint.Auth, Context, command, true, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(command, ScenarioPoint.Auth, outcome, rule, string.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks credentials as soon as the exchange has them, then maps the step to an outcome.</summary>
    private Outcome AuthOutcome(AuthStep step)
    {
        while (step is AuthStep.Verify verify)
        {
            Context.AuthUser = verify.Credential.User;
            step = _exchange!.Complete(ScenarioChoice.FromUser(verify.Credential.User) is { } chosen
                ? Choose(chosen, "AUTH user")
                : _responder.Credentials.Check(verify.Credential));
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

    /// <summary>What an applied verdict does to the exchange: wait for a line, authenticate, count a failure, or end it.</summary>
    private void ApplyAuth(Verdict verdict)
    {
        switch (verdict.Effect)
        {
            case SessionEffect.AuthContinue:
                return;
            case SessionEffect.Authenticated:
                Context.AuthenticatedUser = Context.AuthUser;
                Note($"authenticated as '{Context.AuthUser}' with {Context.AuthMechanism}");
                _events.Authentication(Context.AuthUser, Context.AuthMechanism, succeeded: true, verdict.Reply);
                break;
            case SessionEffect.AuthFailed:
                Context.AuthFailures++;
                // Who tried and how, as a success is noted; the password never (it is not kept anywhere).
                Note(Context.AuthUser is { } user
                    ? $"authentication failed for '{user}' with {Context.AuthMechanism} ({verdict.Reply.Code} {verdict.Reply.Enhanced})"
                    : $"authentication failed with {Context.AuthMechanism} ({verdict.Reply.Code} {verdict.Reply.Enhanced})");
                _events.Authentication(Context.AuthUser, Context.AuthMechanism, succeeded: false, verdict.Reply);
                break;
            default:
                _events.Authentication(Context.AuthUser, Context.AuthMechanism, succeeded: false, verdict.Reply);
                break;
        }

        EndAuth();
    }

    /// <summary>
    /// The refused login that reaches the limit is answered 421 4.7.0 in place of its 535, and the session closes
    /// (brute force); like the bad-command limit, one reply per command.
    /// </summary>
    private Verdict LimitAuthFailures(Verdict verdict) =>
        verdict.Effect == SessionEffect.AuthFailed && Context.AuthFailures + 1 >= _options.MaxAuthFailures
            ? verdict with { Reply = SecurityReplies.TooManyAuthFailures, CloseReason = $"{Context.AuthFailures + 1} failed AUTH attempts" }
            : verdict;

    private void EndAuth()
    {
        _exchange = null;
        _authCommand = null;
    }
}
