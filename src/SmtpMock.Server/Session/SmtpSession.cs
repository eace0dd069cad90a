using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Session;

/// <summary>
/// Runs one SMTP dialog over a pipe pair, no sockets, so tests and fuzzers drive it directly. Data flows one way:
/// bytes, framing, parsing, the state table (asked once per command), the server's verdict and the scenario's
/// intervention merged by <see cref="Verdict"/>, then <see cref="ReplyOutput"/>; capture and transcript on the side.
/// </summary>
internal sealed class SmtpSession
{
    private readonly SessionOptions _options;
    private readonly DefaultResponder _responder;
    private readonly IScenarioSession? _scenario;
    private readonly MessageStore _store;
    private readonly ILogger _logger;
    private readonly LineFramer _framer;
    private readonly MessageIntake _intake;
    private readonly ReplyOutput _output;

    private Mode _mode = Mode.Command;
    private bool _close;
    private bool _bareLfDotNoted;

    public SmtpSession(SessionOptions options, SessionRules rules, MessageStore store, SessionContext context, ILogger logger)
    {
        _options = options;
        _responder = rules.Responder;
        _scenario = rules.OpenScenario?.Invoke();
        _store = store;
        _logger = logger;
        Context = context;
        _framer = new LineFramer(options.MaxCommandLineLength + CommandParser.MailLineAllowance);
        _intake = new MessageIntake(options, _responder.MaxMessageSize);
        _output = new ReplyOutput(context, logger);
    }

    private enum Mode
    {
        Command,
        Data,
        Chunk,
    }

    public SessionContext Context { get; }

    /// <summary>
    /// Runs the dialog until QUIT, a 421, the client closing, a timeout or <paramref name="shutdown"/>
    /// (which sends 421 4.3.2). Transport errors end the session quietly; nothing accepted is lost.
    /// </summary>
    public async Task RunAsync(PipeReader input, PipeWriter output, CancellationToken shutdown)
    {
        _output.Attach(output);
        using var deadline = new SessionDeadline(_options);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, deadline.Token);
        try
        {
            Greet();
            await WriteDelayedAsync(deadline, shutdown, linked.Token).ConfigureAwait(false);
            await _output.FlushAsync(linked.Token).ConfigureAwait(false);
            deadline.Arm(data: false);
            while (!_close)
            {
                var result = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var commandsBefore = Context.Commands;
                var modeBefore = _mode;
                while (!_close && Step(ref buffer))
                {
                    await WriteDelayedAsync(deadline, shutdown, linked.Token).ConfigureAwait(false);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (_close)
                {
                    break;
                }

                if (result.IsCompleted)
                {
                    End(_mode == Mode.Command ? "client closed the connection" : "client closed the connection mid-message; transaction discarded");
                    break;
                }

                // The deadline is per command: it restarts when a command completes, or while content flows.
                if (Context.Commands != commandsBefore || _mode != Mode.Command || modeBefore != Mode.Command)
                {
                    deadline.Arm(data: _mode != Mode.Command);
                }

                // A client that never reads its replies blocks this flush: the same deadline bounds it.
                await _output.FlushAsync(linked.Token).ConfigureAwait(false);
            }

            await _output.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await SendFinalAsync(StandardReplies.ShuttingDown, "server shutting down").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.Fired)
        {
            await SendFinalAsync(StandardReplies.Timeout, deadline.Label).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            End($"connection lost: {e.Message}");
        }
        finally
        {
            _intake.Dispose();
            Context.EndedAt = _options.TimeProvider.GetUtcNow();
            Context.EndReason ??= "ended";
            var elapsed = (long)(Context.EndedAt.Value - Context.StartedAt).TotalMilliseconds;
            SessionLog.SessionEnded(_logger, Context, elapsed);
        }
    }

    /// <summary>A delayed reply is the server's own time: the client's clock stops for it and restarts after.</summary>
    private async ValueTask WriteDelayedAsync(SessionDeadline deadline, CancellationToken shutdown, CancellationToken flushDeadline)
    {
        if (!_output.HasDelayed)
        {
            return;
        }

        deadline.Pause();
        await _output.WriteDelayedAsync(_options.TimeProvider, shutdown, flushDeadline).ConfigureAwait(false);
        deadline.Arm(data: _mode != Mode.Command);
    }

    private void Greet()
    {
        var greeting = new Outcome(_responder.Greeting, SessionState.Connected);
        var rule = _scenario?.Decide(ScenarioPoint.Connect, Context, null, inSequence: true);
        if (rule?.Reply is { IsPositiveCompletion: false } refusal)
        {
            // RFC 5321 §3.1: after a refusing greeting the server serves only QUIT (or closes, with 421).
            greeting = refusal.Code == 421 ? new Outcome(refusal, SessionState.Connected, SessionEffect.Close) : Outcome.Refuse(refusal, SessionState.Refused);
            rule = rule with { Reply = null };
        }

        Apply(null, ScenarioPoint.Connect, greeting, rule);
    }

    private bool Step(ref ReadOnlySequence<byte> buffer) => _mode switch
    {
        Mode.Command => TakeCommand(ref buffer),
        Mode.Data => TakeData(ref buffer),
        _ => TakeChunk(ref buffer),
    };

    private bool TakeCommand(ref ReadOnlySequence<byte> buffer)
    {
        var status = _framer.TryRead(ref buffer, out var line, out var ending);
        if (status == LineStatus.Incomplete)
        {
            return false;
        }

        Context.Commands++;
        if (status == LineStatus.TooLong)
        {
            Note($"line over {_framer.MaxLineOctets} octets discarded");
            Apply(null, ScenarioPoint.Unknown, Outcome.Refuse(StandardReplies.LineTooLong, Context.State), null);
            return true;
        }

        var octets = (int)line.Length + (ending == LineEnding.CrLf ? 2 : 1);
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        var parsed = CommandParser.Parse(bytes, octets, _options.MaxCommandLineLength);
        var command = parsed.Command;
        var text = command.ToString();
        Context.Transcript.Add(TranscriptDirection.In, text);
        SessionLog.LineIn(_logger, Context.Id, text);

        var point = ScenarioPoints.Of(command.Verb);
        if (ending == LineEnding.BareLf && _options.StrictLineEndings)
        {
            Apply(command, point, Outcome.Refuse(StandardReplies.BareLfInCommand, Context.State), null);
            return true;
        }

        var transition = StateTable.Lookup(Context.State, command.Verb);
        if (command.Verb == SmtpVerb.Bdat)
        {
            // The chunk follows the line at once; its reply comes after the last octet is read.
            _intake.BeginChunk(parsed, transition);
            _mode = Mode.Chunk;
            return true;
        }

        // After a refusing greeting no scenario speaks: only QUIT is served.
        var rule = Context.State == SessionState.Refused ? null : _scenario?.Decide(point, Context, command, transition.Allowed);
        Apply(command, point, _responder.Respond(Context, parsed, transition), rule);
        return true;
    }

    private bool TakeData(ref ReadOnlySequence<byte> buffer)
    {
        if (!_intake.ReadData(ref buffer))
        {
            if (!_bareLfDotNoted && _intake.Summary.BareLfDotLines > 0)
            {
                // Telnet or nc without -C: say once why the message has not ended (it never ends on LF.LF).
                _bareLfDotNoted = true;
                Note("a lone '.' ended by a bare LF does not end DATA: SMTP needs CRLF.CRLF (use telnet or nc -C)");
                SessionLog.BareLfDot(_logger, Context.Id);
            }

            return false;
        }

        _mode = Mode.Command;
        var content = _intake.Summary;
        Note($"DATA content: {content.Size} octets"
            + (content.BareLineEndings > 0 ? $", {content.BareLineEndings} bare CR/LF ({_intake.Policy.ToString().ToLowerInvariant()}; they never end the message)" : string.Empty)
            + (content.LineTooLong ? $", a line over {_options.MaxDataLineLength} octets" : string.Empty));
        var id = MessageIds.Next(_options.TimeProvider.GetUtcNow());
        Apply(null, ScenarioPoint.Message, DefaultResponder.EndOfData(content, id), _scenario?.Decide(ScenarioPoint.Message, Context, null, inSequence: true), id);
        return true;
    }

    private bool TakeChunk(ref ReadOnlySequence<byte> buffer)
    {
        if (!_intake.ReadChunk(ref buffer, Context))
        {
            return false;
        }

        _mode = Mode.Command;
        var (parsed, transition) = _intake.Chunk;
        var command = parsed.Command;
        Note($"BDAT chunk: {command.ChunkSize} octets");
        var inSequence = parsed.IsOk && transition.Allowed;
        var total = Context.ChunkedOctets;
        if (!inSequence)
        {
            // Octets of a refused chunk were consumed but belong to no message.
            Context.ChunkedOctets -= command.ChunkSize;
        }

        var last = inSequence && command.IsLastChunk;
        var id = last ? MessageIds.Next(_options.TimeProvider.GetUtcNow()) : string.Empty;
        var outcome = _responder.EndOfChunk(Context, parsed, transition, total, id);

        // The LAST chunk is where the message is judged: MESSAGE rules first, then BDAT rules.
        var rule = last ? _scenario?.Decide(ScenarioPoint.Message, Context, command, inSequence: true) : null;
        var point = rule is null ? ScenarioPoint.Bdat : ScenarioPoint.Message;
        rule ??= _scenario?.Decide(ScenarioPoint.Bdat, Context, command, transition.Allowed);
        Apply(command, point, outcome, rule, id);
        return true;
    }

    /// <summary>Decides (server verdict, scenario intervention, bad-command limit), then carries the verdict out.</summary>
    private void Apply(SmtpCommand? command, ScenarioPoint point, Outcome outcome, Intervention? rule, string messageId = "")
    {
        var verdict = Verdict.Decide(outcome, rule, Context.State, command?.Verb, Context.BadCommands, _options.MaxBadCommands);
        if (rule is not null)
        {
            Note($"rule '{rule.Rule}' (line {rule.Line}) fired at {point.Name()}");
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
                Context.Sender ?? MailPath.Null, Context.SenderParameters, [.. Context.Recipients]);
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

    private async ValueTask SendFinalAsync(SmtpReply reply, string reason)
    {
        End(_mode == Mode.Command ? reason : reason + "; open transaction discarded");
        await _output.SendFinalAsync(reply).ConfigureAwait(false);
    }

    private void End(string reason)
    {
        _close = true;
        Context.EndReason ??= reason;
        Note($"session ended: {reason}");
    }

    private void Note(string text)
    {
        Context.Transcript.Add(TranscriptDirection.Note, text);
        SessionLog.Note(_logger, Context.Id, text);
    }
}
