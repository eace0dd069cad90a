using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Session;

/// <summary>Carrying out a verdict: state, effects on the session, the message when a transaction ends, the reply.</summary>
internal sealed partial class SmtpSession
{
    /// <summary>Decides (server verdict, scenario intervention, bad-command limit), then carries the verdict out.</summary>
    private void Apply(SmtpCommand? command, ScenarioPoint point, Outcome outcome, Intervention? rule, string messageId = "")
    {
        var verdict = Verdict.Decide(outcome, rule, Context.State, command?.Verb, Context.BadCommands, _options.MaxBadCommands);
        if (rule is not null)
        {
            Note(rule.Line > 0 ? $"rule '{rule.Rule}' (line {rule.Line}) fired at {point.Name()}" : $"rule '{rule.Rule}' fired at {point.Name()}");
            SessionLog.RuleFired(_logger, Context.Id, rule.Rule, point.Name(), rule.Silent ? "no reply" : rule.Raw is not null ? "raw bytes" : verdict.Reply.WireLines[^1]);
        }

        if (verdict.CountsAsBad)
        {
            Context.BadCommands++;
        }

        if (verdict.Effect == SessionEffect.EndTransaction)
        {
            verdict = FinishMessage(verdict, messageId);
        }

        if (verdict.Silent)
        {
            End(verdict.CloseReason!);
            return;
        }

        verdict = LimitAuthFailures(verdict);
        Context.State = verdict.Next;
        switch (verdict.Effect)
        {
            case SessionEffect.Greet:
                Context.ResetTransaction();
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
                break;
            case SessionEffect.BeginData:
                _mode = Mode.Data;
                _intake.BeginData();
                break;
            case SessionEffect.StartTls:
                _startTls = true;
                break;
        }

        if (_exchange is not null)
        {
            ApplyAuth(verdict);
        }

        if (command?.Verb == SmtpVerb.Auth && _exchange is null && !verdict.Reply.IsPositive)
        {
            // LOGIN sends two lines (user, password), PLAIN one: watch as many as the longest.
            _linesAfterRefusedAuth = 2;
        }

        _output.Emit(verdict.Reply, verdict.Rule);
        if (verdict.CloseReason is { } reason)
        {
            End(reason);
        }
    }

    /// <summary>A transaction ends: the message is kept when the verdict says so; a store that fails answers 451.</summary>
    private Verdict FinishMessage(Verdict verdict, string id)
    {
        if (verdict.Stores)
        {
            var envelope = new MessageEnvelope(id, Context.Id, _options.TimeProvider.GetUtcNow(), Context.ClientText, Context.HeloName ?? string.Empty,
                Context.Sender ?? MailPath.Null, Context.SenderParameters, [.. Context.Recipients])
            {
                Tls = Context.Tls?.ToString(),
                AuthenticatedUser = Context.AuthenticatedUser,
                AuthMechanism = Context.AuthenticatedUser is null ? null : Context.AuthMechanism,
            };
            if (MessageDelivery.TryStore(_store, _intake.Content, envelope, out var failure) is { } message)
            {
                Context.AddAcceptedMessage(id);
                Note($"message {id} stored");
                SessionLog.MessageCaptured(_logger, Context.Id, message);
            }
            else
            {
                SessionLog.StoreFailed(_logger, Context.Id, id, failure!);
                Note($"message {id} not stored: {failure}");
                verdict = verdict.WithServerReply(StandardReplies.LocalError);
            }
        }

        _intake.Clear();
        return verdict;
    }
}
