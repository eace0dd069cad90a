using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Session;

/// <summary>
/// The deciding half of a session, one step at a time: the server's outcome, the decisions that may need I/O (the
/// scenario's, an AUTH check, the store's save), the <see cref="Verdict"/>, then carrying it out: state (from
/// <see cref="StateTable"/>), effects on <see cref="SessionContext"/>, the reply to <see cref="ReplyOutput"/>. It never
/// reads or flushes the connection (that is <see cref="SmtpSession"/>'s loop). With everything in memory every await
/// completes at once, and nothing is allocated for it.
/// </summary>
internal sealed class SessionDialog
{
    private readonly SessionOptions _options;
    private readonly MessageIntake _intake;
    private readonly ReplyOutput _output;
    private readonly SessionFaults _faults;
    private readonly SessionAuth _auth;
    private readonly SessionEvents _events;
    private readonly Func<AuthCredential, bool> _checkCredential;
    private readonly SessionScenario _rules;

    public SessionDialog(SessionOptions options, SessionScenario rules, SessionContext context, MessageIntake intake, ReplyOutput output, SessionFaults faults, SessionAuth auth, SessionEvents events)
    {
        _options = options;
        _rules = rules;
        _intake = intake;
        _output = output;
        _faults = faults;
        _auth = auth;
        _events = events;
        _checkCredential = CheckCredential;
        Context = context;
    }

    public SessionContext Context { get; }

    /// <summary>The session has said or done its last word: the loop stops reading.</summary>
    public bool Closed { get; private set; }

    /// <summary>Ends the session with <paramref name="reason"/> (the first reason given is kept).</summary>
    public void End(string reason)
    {
        Closed = true;
        Context.EndReason ??= reason;
        Note($"session ended: {reason}");
    }

    /// <summary>STARTTLS's handshake succeeded: the session starts over on the encrypted connection (RFC 3207 §4.2).</summary>
    public void TlsStarted(TlsHandshake handshake)
    {
        Context.ForgetForTls(handshake);
        Context.State = StateTable.Next(Context.State, SessionEffect.TlsStarted);
        _auth.End();
        Note($"TLS started: {handshake}");
        _events.Tls(handshake);
    }

    public ValueTask ApplyStepAsync(Step step, CancellationToken cancellationToken) => step.Kind switch
    {
        StepKind.EndOfData => EndOfDataAsync(cancellationToken),
        StepKind.Chunk => EndOfChunkAsync(step, cancellationToken),
        StepKind.AuthLine => AuthLineAsync(step, cancellationToken),
        _ => CommandAsync(step, cancellationToken),
    };

    /// <summary>The greeting: the server's 220, or a rule's refusal (554: only QUIT served from now on; 421: closed).</summary>
    public async ValueTask GreetAsync(CancellationToken cancellationToken)
    {
        var greeting = new Outcome(_rules.Responder.Greeting);
        var rule = await _rules.DecideAsync(ScenarioPoint.Connect, null, true, cancellationToken).ConfigureAwait(false);
        if (rule?.Reply is { IsPositiveCompletion: false } refusal)
        {
            // RFC 5321 §3.1: after a refusing greeting the server serves only QUIT (or closes, with 421).
            greeting = new Outcome(refusal, refusal.Code == 421 ? SessionEffect.Close : SessionEffect.RefuseService);
            rule = rule with { Reply = null };
        }

        await ApplyAsync(null, ScenarioPoint.Connect, greeting, rule, string.Empty, cancellationToken).ConfigureAwait(false);
    }


    private async ValueTask CommandAsync(Step step, CancellationToken cancellationToken)
    {
        var command = step.Parsed?.Command;
        if (step.Refusal is { } refusal)
        {
            await ApplyAsync(command, command is null ? ScenarioPoint.Unknown : ScenarioPoints.Of(command.Verb), refusal, null, string.Empty, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (command is { Verb: SmtpVerb.Ehlo or SmtpVerb.Helo } && ScenarioChoice.FromHelo(command.Domain) is { } chosen && !_rules.Choose(chosen, "EHLO name"))
        {
            await ApplyAsync(command, ScenarioPoints.Of(command.Verb), Outcome.Refuse(ScenarioChoice.Unknown(chosen)), null, string.Empty, cancellationToken).ConfigureAwait(false);
            return;
        }

        var outcome = _rules.Responder.Respond(Context, step.Parsed!.Value, step.InSequence);
        if (outcome.Effect == SessionEffect.BeginAuth)
        {
            outcome = _auth.Begin(command!, _checkCredential);
        }

        // After a refusing greeting no scenario speaks: only QUIT is served.
        var point = ScenarioPoints.Of(command!.Verb);
        var rule = Context.State == SessionState.Refused ? null : await _rules.DecideAsync(point, command, step.InSequence, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(command, point, outcome, rule, string.Empty, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EndOfDataAsync(CancellationToken cancellationToken)
    {
        var id = MessageIds.Next(_options.TimeProvider.GetUtcNow());
        var outcome = DefaultResponder.EndOfData(_intake.Summary, id);
        if (outcome.Reply.IsPositiveCompletion && _intake.Summary.Size > _rules.Responder.LimitFor(Context))
        {
            // The EHLO name set a lower limit than the server's (size1000): the message is refused as too big.
            outcome = new Outcome(StandardReplies.MessageTooBig, SessionEffect.EndTransaction);
        }
        var rule = await _rules.DecideAsync(ScenarioPoint.Message, null, true, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(null, ScenarioPoint.Message, outcome, rule, id, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EndOfChunkAsync(Step step, CancellationToken cancellationToken)
    {
        var parsed = step.Parsed!.Value;
        var command = parsed.Command;
        var last = step.InSequence && command.IsLastChunk;
        var id = last ? MessageIds.Next(_options.TimeProvider.GetUtcNow()) : string.Empty;
        var outcome = _rules.Responder.EndOfChunk(Context, parsed, StateTable.IsAllowed(Context.State, SmtpVerb.Bdat), Context.ChunkedOctets, id);

        // The LAST chunk is where the message is judged: MESSAGE rules first, then BDAT rules.
        var rule = last ? await _rules.DecideAsync(ScenarioPoint.Message, command, true, cancellationToken).ConfigureAwait(false) : null;
        var point = rule is null ? ScenarioPoint.Bdat : ScenarioPoint.Message;
        if (rule is null && _rules.Running)
        {
            rule = await _rules.DecideAsync(ScenarioPoint.Bdat, command, StateTable.IsAllowed(Context.State, SmtpVerb.Bdat), cancellationToken).ConfigureAwait(false);
        }

        await ApplyAsync(command, point, outcome, rule, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decides (server verdict, scenario intervention, bad-command limit), then carries the verdict out.</summary>
    private async ValueTask ApplyAsync(SmtpCommand? command, ScenarioPoint point, Outcome outcome, Intervention? rule, string messageId, CancellationToken cancellationToken)
    {
        var verdict = Verdict.Decide(outcome, rule, command?.Verb, Context.BadCommands, _options.MaxBadCommands);
        if (rule is not null)
        {
            Context.Faults++;
            Note(rule.Line > 0 ? $"rule '{rule.Rule}' (line {rule.Line}) fired at {point.Name()}" : $"rule '{rule.Rule}' fired at {point.Name()}");
        }

        if (verdict.CountsAsBad)
        {
            Context.BadCommands++;
        }

        if (verdict.Effect == SessionEffect.EndTransaction)
        {
            verdict = await FinishMessageAsync(verdict, messageId, cancellationToken).ConfigureAwait(false);
        }

        if (verdict.Silent)
        {
            _events.Rule(rule!, point, null);
            End(verdict.CloseReason!);
            _faults.Ending(rule!);
            return;
        }

        verdict = _auth.Limit(verdict);
        if (rule is not null)
        {
            _events.Rule(rule, point, verdict.Reply);
        }

        Effect(command, verdict);
        if (command?.Verb == SmtpVerb.Rcpt && command.Path is { } recipient && verdict.Effect is SessionEffect.AddRecipient or SessionEffect.RejectRecipient)
        {
            _events.Recipient(Context.Sender?.Address ?? string.Empty, recipient.Address, verdict.Reply, verdict.Rule?.Rule);
        }

        if (command?.Verb == SmtpVerb.Auth)
        {
            _auth.Answered(verdict.Reply);
        }

        if (verdict.Effect == SessionEffect.Greet)
        {
            Context.Limits = rule?.Limits;
            verdict = rule?.Limits is { } limits && Context.IsExtended ? verdict with { Reply = limits.Filter(verdict.Reply) } : verdict;
        }

        _faults.BeforeReply(rule, verdict.Effect);
        _output.Emit(verdict.Reply, verdict.Rule, point);
        if (verdict.CloseReason is { } reason)
        {
            End(reason);
            _faults.Ending(rule);
        }
    }

    /// <summary>What a verdict does to the session: the next state from the table, then the effect on what it knows.</summary>
    private void Effect(SmtpCommand? command, Verdict verdict)
    {
        Context.State = StateTable.Next(Context.State, verdict.Effect);
        switch (verdict.Effect)
        {
            case SessionEffect.Greet:
                // A BDAT chunk taken before EHLO or RSET belongs to no later message.
                Context.ResetTransaction();
                _intake.Clear();
                Context.HeloName = command!.Domain;
                Context.IsExtended = command.Verb == SmtpVerb.Ehlo;
                break;
            case SessionEffect.SetSender:
                Context.Sender = command!.Path;
                Context.SenderParameters = command.Parameters;
                break;
            case SessionEffect.AddRecipient:
                Context.AddRecipient(new Recipient(command!.Path!, command.Parameters));
                break;
            case SessionEffect.RejectRecipient:
                Context.RejectedRecipients++;
                break;
            case SessionEffect.Reset or SessionEffect.EndTransaction:
                Context.ResetTransaction();
                _intake.Clear();
                break;
            case SessionEffect.BeginData:
                _intake.BeginData();
                break;
            case SessionEffect.AuthContinue or SessionEffect.Authenticated or SessionEffect.AuthFailed or SessionEffect.AuthEnded:
                _auth.Apply(verdict);
                break;
        }
    }

    /// <summary>A transaction ends: the message is kept when the verdict says so; a store that fails answers 451.</summary>
    private async ValueTask<Verdict> FinishMessageAsync(Verdict verdict, string id, CancellationToken cancellationToken)
    {
        CapturedMessage? message = null;
        if (verdict.Stores)
        {
            try
            {
                message = await _intake.SaveAsync(Context, id, cancellationToken).ConfigureAwait(false);
                Context.AddAcceptedMessage(id);
                Note($"message {id} stored");
            }
            catch (IOException e)
            {
                SessionLog.StoreFailed(_events.Logger, Context.Id, id, e.Message);
                Note($"message {id} not stored: {e.Message}");
                verdict = verdict.WithServerReply(StandardReplies.LocalError);
            }
        }

        _events.Message(Context.Sender?.Address ?? string.Empty, RecipientAddresses(), verdict.Reply, verdict.Rule, message);
        return verdict;
    }

    /// <summary>A line in answer to a 334: the exchange's next step, decided and applied as a command at AUTH.</summary>
    private async ValueTask AuthLineAsync(Step step, CancellationToken cancellationToken)
    {
        var command = _auth.Command!;
        var outcome = step.Refusal ?? _auth.Next(step.AuthText!, _checkCredential);
        var rule = step.Refusal is not null ? null : await _rules.DecideAsync(ScenarioPoint.Auth, command, true, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(command, ScenarioPoint.Auth, outcome, rule, string.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An AUTH user can choose the session's scenario; any other is checked against the responder's credentials.</summary>
    private bool CheckCredential(AuthCredential credential) =>
        ScenarioChoice.FromUser(credential.User) is { } chosen ? _rules.Choose(chosen, "AUTH user") : _rules.Responder.Credentials.Check(credential);

    private void Note(string text) => _events.Note(text);

    /// <summary>The transaction's recipients' addresses, without a LINQ iterator (every message asks).</summary>
    private string[] RecipientAddresses()
    {
        var recipients = Context.Recipients;
        var addresses = new string[recipients.Count];
        for (var i = 0; i < addresses.Length; i++)
        {
            addresses[i] = recipients[i].Address;
        }

        return addresses;
    }
}
