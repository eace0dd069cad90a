using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Session;

/// <summary>
/// Runs one SMTP dialog over a pipe pair: bytes in, replies out, no sockets, so tests and fuzzers drive it
/// directly. Frames lines, parses, asks the state table and the responder for the server's own verdict, lets the
/// scenario engine answer instead, applies the outcome and writes the reply. Replies to every complete command in
/// a read are flushed together when the input runs dry (PIPELINING); a delayed reply flushes what came before it.
/// </summary>
public sealed class SmtpSession
{
    private static readonly SmtpReply LocalError = new(451, "4.3.0", "Local error in processing: message not stored");
    private static readonly SmtpReply NoService = new(503, "5.5.1", "Bad sequence of commands: no service here, only QUIT");

    private readonly SmtpServerOptions _options;
    private readonly DefaultResponder _responder;
    private readonly ScenarioEngine? _engine;
    private readonly MessageStore _store;
    private readonly ILogger _logger;
    private readonly LineFramer _framer;
    private readonly DataReader _dataReader;
    private readonly MessageContent _content;

    private PipeWriter _output = null!;
    private Mode _mode = Mode.Command;
    private ParseResult _chunkCommand;
    private long _chunkRemaining;
    private bool _close;
    private bool _unflushed;
    private bool _refusedAtConnect;
    private (TimeSpan Delay, SmtpReply? Reply, byte[]? Raw, string Rule)? _delayed;

    public SmtpSession(SmtpServerOptions options, SessionRules rules, MessageStore store, SessionContext context, ILogger logger)
    {
        _options = options;
        _responder = rules.Responder;
        _engine = rules.Engine;
        _store = store;
        _logger = logger;
        Context = context;
        _framer = new LineFramer(options.MaxCommandLineLength + CommandParser.MailLineAllowance);
        _dataReader = new DataReader(_responder.MaxMessageSize, options.MaxDataLineLength, options.BareLineEndingsInData);
        _content = new MessageContent(store.Directory?.Path);
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
        _output = output;
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, deadline.Token);
        try
        {
            Greet();
            await WriteDelayedAsync(shutdown, linked.Token).ConfigureAwait(false);
            await FlushAsync(linked.Token).ConfigureAwait(false);
            deadline.CancelAfter(_options.CommandTimeout);
            while (!_close)
            {
                var result = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var commandsBefore = Context.Commands;
                var modeBefore = _mode;
                while (!_close && Step(ref buffer))
                {
                    await WriteDelayedAsync(shutdown, linked.Token).ConfigureAwait(false);
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
                    deadline.CancelAfter(_mode == Mode.Command ? _options.CommandTimeout : _options.DataTimeout);
                }

                // A client that never reads its replies blocks this flush: the same deadline bounds it.
                await FlushAsync(linked.Token).ConfigureAwait(false);
            }

            await FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await SendFinalAsync(StandardReplies.ShuttingDown, "server shutting down").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            await SendFinalAsync(StandardReplies.Timeout, _mode == Mode.Command ? "command timeout" : "data timeout").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            End($"connection lost: {e.Message}");
        }
        finally
        {
            _content.Dispose();
            Context.EndedAt = _options.TimeProvider.GetUtcNow();
            Context.EndReason ??= "ended";
            var elapsed = (long)(Context.EndedAt.Value - Context.StartedAt).TotalMilliseconds;
            SessionLog.SessionEnded(_logger, Context.Id, Context.ClientText, Context.Commands, Context.AcceptedMessages.Count, Context.BadCommands, Context.EndReason, elapsed);
        }
    }

    private void Greet()
    {
        var greeting = new Outcome(_responder.Greeting, SessionState.Connected);
        var intervention = _engine?.Decide(ScenarioPoint.Connect, Context, null);
        if (intervention?.Reply is RuleReply.Standard { Reply: var reply } && !reply.IsPositiveCompletion)
        {
            // RFC 5321 §3.1: after a refusing greeting the server waits for QUIT (or closes, with 421).
            _refusedAtConnect = true;
            greeting = reply.Code == 421 ? new Outcome(reply, SessionState.Connected, SessionEffect.Close) : Outcome.Refuse(reply, SessionState.Connected);
            intervention = intervention with { Reply = null };
        }

        Apply(null, ScenarioPoint.Connect, greeting, intervention);
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

        if (ending == LineEnding.BareLf && _options.StrictLineEndings)
        {
            Apply(command, ScenarioPoints.Of(command.Verb), Outcome.Refuse(StandardReplies.BareLfInCommand, Context.State), null);
            return true;
        }

        if (_refusedAtConnect && command.Verb != SmtpVerb.Quit)
        {
            Apply(command, ScenarioPoints.Of(command.Verb), Outcome.Refuse(NoService, Context.State), null);
            return true;
        }

        if (command.Verb == SmtpVerb.Bdat)
        {
            // The chunk follows the line at once; its reply comes after the last octet is read.
            _chunkCommand = parsed;
            _chunkRemaining = command.ChunkSize;
            _mode = Mode.Chunk;
            return true;
        }

        var point = ScenarioPoints.Of(command.Verb);
        Apply(command, point, _responder.Respond(Context, parsed), _engine?.Decide(point, Context, command));
        return true;
    }

    private bool TakeData(ref ReadOnlySequence<byte> buffer)
    {
        var accepting = !_dataReader.SizeExceeded;
        if (_dataReader.Read(ref buffer, accepting ? _content : null) == DataStatus.NeedMore)
        {
            return false;
        }

        _mode = Mode.Command;
        Note($"DATA content: {_dataReader.Size} octets"
            + (_dataReader.BareLineEndings > 0 ? $", {_dataReader.BareLineEndings} bare CR/LF ({_dataReader.Policy.ToString().ToLowerInvariant()}; they never end the message)" : string.Empty)
            + (_dataReader.LineTooLong ? $", a line over {_options.MaxDataLineLength} octets" : string.Empty));
        var id = NewMessageId();
        var outcome = _responder.EndOfData(Context, _dataReader, id);
        Deliver(null, ScenarioPoint.Message, outcome, _engine?.Decide(ScenarioPoint.Message, Context, null), id);
        return true;
    }

    private bool TakeChunk(ref ReadOnlySequence<byte> buffer)
    {
        var take = Math.Min(_chunkRemaining, buffer.Length);
        if (take > 0)
        {
            var chunk = buffer.Slice(0, take);
            if (Context.ChunkedOctets + take <= _responder.MaxMessageSize && _chunkCommand.IsOk && StateTable.IsAllowed(Context.State, SmtpVerb.Bdat))
            {
                foreach (var segment in chunk)
                {
                    _content.Write(segment.Span);
                }
            }

            Context.ChunkedOctets += take;
            _chunkRemaining -= take;
            buffer = buffer.Slice(take);
        }

        if (_chunkRemaining > 0)
        {
            return false;
        }

        _mode = Mode.Command;
        FinishChunk(_chunkCommand);
        return true;
    }

    private void FinishChunk(ParseResult parsed)
    {
        var command = parsed.Command;
        Note($"BDAT chunk: {command.ChunkSize} octets");
        var inSequence = parsed.IsOk && StateTable.IsAllowed(Context.State, SmtpVerb.Bdat);
        var total = Context.ChunkedOctets;
        if (!inSequence)
        {
            // Octets of a refused chunk were consumed but belong to no message.
            Context.ChunkedOctets -= command.ChunkSize;
        }

        var last = inSequence && command.IsLastChunk;
        var id = last ? NewMessageId() : string.Empty;
        var outcome = _responder.EndOfChunk(Context, parsed, total, id);

        // The LAST chunk is where the message is judged: MESSAGE rules first, then BDAT rules.
        var intervention = last ? _engine?.Decide(ScenarioPoint.Message, Context, command) : null;
        var point = intervention is null ? ScenarioPoint.Bdat : ScenarioPoint.Message;
        intervention ??= _engine?.Decide(ScenarioPoint.Bdat, Context, command);
        if (outcome.Effect == SessionEffect.EndTransaction || (inSequence && intervention?.Reply is RuleReply.Standard { Reply.IsPositive: false }))
        {
            Deliver(command, point, outcome with { Effect = SessionEffect.EndTransaction, Next = SessionState.Ready }, intervention, id);
        }
        else
        {
            Apply(command, point, outcome, intervention);
        }
    }

    /// <summary>Ends a transaction: stores the content when the final reply is 250, then replies.</summary>
    private void Deliver(SmtpCommand? command, ScenarioPoint point, Outcome outcome, Intervention? intervention, string id)
    {
        var final = intervention?.Reply is RuleReply.Standard { Reply: var reply } ? reply : outcome.Reply;
        if (final.IsPositiveCompletion && outcome.Reply.IsPositiveCompletion && intervention?.Reply is not RuleReply.Silence)
        {
            string? spooled = null;
            try
            {
                if (_content.Failed)
                {
                    throw new IOException("the spool file could not be written");
                }

                var (bytes, file, _) = _content.Take();
                spooled = file;
                _store.Add(new CapturedMessage(
                    id,
                    Context.Id,
                    _options.TimeProvider.GetUtcNow(),
                    Context.ClientText,
                    Context.HeloName ?? string.Empty,
                    Context.Sender ?? MailPath.Null,
                    Context.SenderParameters,
                    [.. Context.Recipients],
                    bytes,
                    file));
                Context.AcceptedMessages.Add(id);
                Note($"message {id} stored");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                SessionLog.StoreFailed(_logger, e, Context.Id, id);
                Note($"message {id} not stored: {e.Message}");
                if (spooled is not null && File.Exists(spooled))
                {
                    File.Delete(spooled);
                }

                outcome = outcome with { Reply = LocalError };
                intervention = intervention is null ? null : intervention with { Reply = null };
            }
        }

        _content.Clear();
        _dataReader.Reset();
        Apply(command, point, outcome, intervention);
    }

    /// <summary>
    /// Applies the server's verdict, or the scenario's in its place. A scenario's error reply leaves the state as an
    /// error does (RFC 5321 §4.1.4); its positive reply to a command the server accepts keeps the server's effect;
    /// a 421 closes. Only the server's own 5xx verdicts count towards the bad-command limit.
    /// </summary>
    private void Apply(SmtpCommand? command, ScenarioPoint point, Outcome outcome, Intervention? intervention)
    {
        if (intervention is not null)
        {
            Note($"rule '{intervention.Rule.Name}' (line {intervention.Rule.Line}) fired at {point.Name()}");
            switch (intervention.Reply)
            {
                case RuleReply.Silence:
                    End($"closed without a reply by rule '{intervention.Rule.Name}'");
                    return;
                case RuleReply.Standard { Reply: var reply }:
                    outcome = Override(outcome, reply, command);
                    break;
            }
        }
        else if (outcome.Reply.Code is >= 500 and <= 504 && ++Context.BadCommands > _options.MaxBadCommands)
        {
            // One reply per command: this one's becomes the 421 that closes.
            Emit(StandardReplies.TooManyErrors, null);
            End("too many bad commands");
            return;
        }

        Context.State = outcome.Next;
        switch (outcome.Effect)
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
                Context.Recipients.Add(new Recipient(command!.Path!, command.Parameters));
                break;
            case SessionEffect.RejectRecipient:
                Context.RejectedRecipients++;
                break;
            case SessionEffect.Reset or SessionEffect.EndTransaction:
                Context.ResetTransaction();
                break;
            case SessionEffect.BeginData:
                _mode = Mode.Data;
                _dataReader.Reset();
                _content.Clear();
                break;
        }

        Emit(outcome.Reply, intervention);
        if (outcome.Effect == SessionEffect.Close || intervention?.Close == true)
        {
            End(intervention?.Close == true ? $"closed by rule '{intervention.Rule.Name}'"
                : outcome.Reply.Code == 221 ? "QUIT"
                : $"closed after {outcome.Reply.Code}");
        }
    }

    private Outcome Override(Outcome server, SmtpReply reply, SmtpCommand? command)
    {
        if (reply.Code == 421)
        {
            return new Outcome(reply, Context.State, SessionEffect.Close);
        }

        if (reply.IsPositive)
        {
            // Accepting where the server accepts keeps its effect; "accepting" where it refuses changes only the words.
            return server.Reply.IsPositive ? server with { Reply = reply } : Outcome.Refuse(reply, Context.State);
        }

        return server.Effect switch
        {
            SessionEffect.EndTransaction => new Outcome(reply, SessionState.Ready, SessionEffect.EndTransaction),
            _ when command?.Verb == SmtpVerb.Rcpt => new Outcome(reply, Context.State, SessionEffect.RejectRecipient),
            _ => Outcome.Refuse(reply, Context.State),
        };
    }

    /// <summary>Writes a reply (or a rule's raw bytes), or holds it back when the rule delays it.</summary>
    private void Emit(SmtpReply reply, Intervention? intervention)
    {
        var raw = (intervention?.Reply as RuleReply.Raw)?.Bytes;
        if (intervention is { Delay: var delay } && delay > TimeSpan.Zero)
        {
            _delayed = (delay, reply, raw, intervention.Rule.Name);
            return;
        }

        Write(reply, raw, intervention?.Rule.Name);
    }

    private async ValueTask WriteDelayedAsync(CancellationToken shutdown, CancellationToken flushDeadline)
    {
        if (_delayed is not { } delayed)
        {
            return;
        }

        _delayed = null;
        await FlushAsync(flushDeadline).ConfigureAwait(false);
        Note($"rule '{delayed.Rule}' delays the reply by {delayed.Delay.TotalMilliseconds:0} ms");
        await Task.Delay(delayed.Delay, _options.TimeProvider, shutdown).ConfigureAwait(false);
        Write(delayed.Reply!, delayed.Raw, delayed.Rule);
    }

    private void Write(SmtpReply reply, byte[]? raw, string? rule)
    {
        _unflushed = true;
        if (raw is not null)
        {
            ReplyWriter.WriteRaw(_output, raw);
            var shown = System.Text.Encoding.UTF8.GetString(raw).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            Context.Transcript.Add(TranscriptDirection.Out, $"(raw) {shown}", rule);
            SessionLog.LineOut(_logger, Context.Id, $"(raw) {shown}");
            return;
        }

        ReplyWriter.Write(_output, reply);
        foreach (var line in reply.WireLines)
        {
            Context.Transcript.Add(TranscriptDirection.Out, line, rule);
            SessionLog.LineOut(_logger, Context.Id, line);
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_unflushed)
        {
            _unflushed = false;
            await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Flushes, and retries once when the writer says "cancelled" for a token that did not fire: StreamPipeWriter
    /// cancels its internal token when a token it was given fires as that flush is finishing, and then reports the
    /// NEXT flush cancelled without writing a byte (a stop landing just after the greeting lost its 421 that way).
    /// The writer starts a fresh token after such a result, and the bytes are still buffered, so the retry sends them.
    /// </summary>
    private async ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        var result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (result.IsCanceled)
        {
            throw new OperationCanceledException("the transport cancelled the flush", cancellationToken);
        }
    }

    /// <summary>A last reply (421) on the way out; the client may already be gone.</summary>
    private async ValueTask SendFinalAsync(SmtpReply reply, string reason)
    {
        End(_mode == Mode.Command ? reason : reason + "; open transaction discarded");
        try
        {
            Write(reply, null, null);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await FlushOutputAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            Note($"could not send {reply.Code}: {e.Message}");
        }
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

    private string NewMessageId() => MessageIds.Next(_options.TimeProvider.GetUtcNow());
}
