using System.Buffers;
using System.Text;
using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// AUTH (RFC 4954): the SASL exchange the responder let start. Each step is an <see cref="Outcome"/> that goes
/// through <see cref="Apply"/> like any command's, so scenario rules at AUTH see the mechanism and, once given, the user.
/// Secrets never reach the transcript or the log (<see cref="AuthRedaction"/>).
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

    /// <summary>A line in answer to a 334: never a command, never parsed as one (RFC 4954 §4).</summary>
    private bool TakeAuthLine(ref ReadOnlySequence<byte> buffer)
    {
        var status = _framer.TryRead(ref buffer, out var line, out _);
        if (status == LineStatus.Incomplete)
        {
            return false;
        }

        Context.AuthResponses++;
        var command = _authCommand!;
        if (status == LineStatus.TooLong)
        {
            Note($"AUTH line over {_framer.MaxLineOctets} octets discarded");
            Apply(command, ScenarioPoint.Auth, Outcome.Refuse(SecurityReplies.AuthLineTooLong, Context.State), null);
            return true;
        }

        var text = Encoding.UTF8.GetString(line);
        var shown = AuthRedaction.Continuation(text);
        Context.Transcript.Add(TranscriptDirection.In, shown);
        SessionLog.LineIn(_logger, Context.Id, shown);
        var outcome = AuthOutcome(_exchange!.Next(text));
        Apply(command, ScenarioPoint.Auth, outcome, _scenario?.Decide(ScenarioPoint.Auth, Context, command, inSequence: true));
        return true;
    }

    /// <summary>Checks credentials as soon as the exchange has them, then maps the step to an outcome.</summary>
    private Outcome AuthOutcome(AuthStep step)
    {
        while (step is AuthStep.Verify verify)
        {
            Context.AuthUser = verify.Credential.User;
            step = _exchange!.Complete(_responder.Credentials.Check(verify.Credential));
        }

        return step switch
        {
            AuthStep.Challenge challenge => new Outcome(challenge.Reply, Context.State, SessionEffect.AuthContinue),
            AuthStep.Succeeded succeeded => new Outcome(succeeded.Reply, Context.State, SessionEffect.Authenticated),
            // Only refused credentials count towards the limit (brute force); a cancel or a syntax error is a bad command.
            AuthStep.Fail fail => new Outcome(fail.Reply, Context.State, fail.Reply.Code == 535 ? SessionEffect.AuthFailed : SessionEffect.None),
            _ => throw new InvalidOperationException($"AUTH step {step} cannot be answered"),
        };
    }

    /// <summary>What an applied verdict does to the exchange: wait for a line, authenticate, count a failure, or end it.</summary>
    private void ApplyAuth(Verdict verdict)
    {
        switch (verdict.Effect)
        {
            case SessionEffect.AuthContinue:
                _mode = Mode.Auth;
                return;
            case SessionEffect.Authenticated:
                Context.AuthenticatedUser = Context.AuthUser;
                Note($"authenticated as '{Context.AuthUser}' with {Context.AuthMechanism}");
                break;
            case SessionEffect.AuthFailed:
                Context.AuthFailures++;
                // Who tried and how, as a success is noted; the password never (it is not kept anywhere).
                Note(Context.AuthUser is { } user
                    ? $"authentication failed for '{user}' with {Context.AuthMechanism} ({verdict.Reply.Code} {verdict.Reply.Enhanced})"
                    : $"authentication failed with {Context.AuthMechanism} ({verdict.Reply.Code} {verdict.Reply.Enhanced})");
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
        if (_mode == Mode.Auth)
        {
            _mode = Mode.Command;
        }
    }
}
