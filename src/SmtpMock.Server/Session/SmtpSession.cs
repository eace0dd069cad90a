using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Server.Session;

/// <summary>
/// Runs one SMTP dialog over a pipe pair: bytes in, replies out, no sockets, so tests and fuzzers drive it
/// directly. Frames lines, parses, asks the state table and the responder, applies the outcome and writes the
/// reply. Replies to every complete command in a read are flushed together when the input runs dry (PIPELINING).
/// </summary>
public sealed class SmtpSession
{
    private static readonly SmtpReply LocalError = new(451, "4.3.0", "Local error in processing: message not stored");

    private readonly SmtpServerOptions _options;
    private readonly DefaultResponder _responder;
    private readonly MessageStore _store;
    private readonly ILogger _logger;
    private readonly LineFramer _framer;
    private readonly DataReader _dataReader;
    private readonly MessageBuffer _content = new();

    private PipeWriter _output = null!;
    private Mode _mode = Mode.Command;
    private ParseResult _chunkCommand;
    private long _chunkRemaining;
    private bool _close;
    private bool _unflushed;

    public SmtpSession(SmtpServerOptions options, DefaultResponder responder, MessageStore store, SessionContext context, ILogger logger)
    {
        _options = options;
        _responder = responder;
        _store = store;
        _logger = logger;
        Context = context;
        _framer = new LineFramer(options.MaxCommandLineLength + CommandParser.MailLineAllowance);
        _dataReader = new DataReader(options.MaxMessageSize, options.MaxDataLineLength, options.BareLineEndingsInData);
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
            Send(_responder.Greeting);
            await FlushAsync().ConfigureAwait(false);
            deadline.CancelAfter(_options.CommandTimeout);
            while (!_close)
            {
                var result = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var commandsBefore = Context.Commands;
                var modeBefore = _mode;
                ProcessBuffer(ref buffer);
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

                await FlushAsync().ConfigureAwait(false);
            }

            await FlushAsync().ConfigureAwait(false);
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

    private void ProcessBuffer(ref ReadOnlySequence<byte> buffer)
    {
        while (!_close)
        {
            var progressed = _mode switch
            {
                Mode.Command => TakeCommand(ref buffer),
                Mode.Data => TakeData(ref buffer),
                _ => TakeChunk(ref buffer),
            };
            if (!progressed)
            {
                return;
            }
        }
    }

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
            Apply(null, Outcome.Refuse(StandardReplies.LineTooLong, Context.State));
            return true;
        }

        var octets = (int)line.Length + (ending == LineEnding.CrLf ? 2 : 1);
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        var parsed = CommandParser.Parse(bytes, octets, _options.MaxCommandLineLength);
        Context.Transcript.Add(TranscriptDirection.In, parsed.Command.ToString());
        SessionLog.LineIn(_logger, Context.Id, parsed.Command.ToString());

        if (ending == LineEnding.BareLf && _options.StrictLineEndings)
        {
            Apply(parsed.Command, Outcome.Refuse(StandardReplies.BareLfInCommand, Context.State));
            return true;
        }

        if (parsed.Command.Verb == SmtpVerb.Bdat && parsed.Command.ChunkSize > 0)
        {
            // The chunk follows the line at once; its reply comes after the last octet is read.
            _chunkCommand = parsed;
            _chunkRemaining = parsed.Command.ChunkSize;
            _mode = Mode.Chunk;
            return true;
        }

        if (parsed.Command.Verb == SmtpVerb.Bdat)
        {
            FinishChunk(parsed);
            return true;
        }

        Apply(parsed.Command, _responder.Respond(Context, parsed));
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
        Deliver(null, _responder.EndOfData(Context, _dataReader, id), id);
        return true;
    }

    private bool TakeChunk(ref ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return false;
        }

        var take = Math.Min(_chunkRemaining, buffer.Length);
        var chunk = buffer.Slice(0, take);
        if (Context.ChunkedOctets + take <= _options.MaxMessageSize && _chunkCommand.IsOk && StateTable.IsAllowed(Context.State, SmtpVerb.Bdat))
        {
            foreach (var segment in chunk)
            {
                _content.Write(segment.Span);
            }
        }

        Context.ChunkedOctets += take;
        _chunkRemaining -= take;
        buffer = buffer.Slice(take);
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
        Note($"BDAT chunk: {parsed.Command.ChunkSize} octets");
        var inSequence = parsed.IsOk && StateTable.IsAllowed(Context.State, SmtpVerb.Bdat);
        var total = Context.ChunkedOctets;
        if (!inSequence)
        {
            // Octets of a refused chunk were consumed but belong to no message.
            Context.ChunkedOctets -= parsed.Command.ChunkSize;
        }

        var id = parsed.Command.IsLastChunk ? NewMessageId() : string.Empty;
        var outcome = _responder.EndOfChunk(Context, parsed, total, id);
        if (outcome.Effect == SessionEffect.EndTransaction)
        {
            Deliver(parsed.Command, outcome, id);
        }
        else
        {
            Apply(parsed.Command, outcome);
        }
    }

    /// <summary>Ends a transaction: stores the content when the verdict is 250, then replies.</summary>
    private void Deliver(SmtpCommand? command, Outcome outcome, string id)
    {
        if (outcome.Reply.IsPositiveCompletion)
        {
            try
            {
                _store.Add(new CapturedMessage(
                    id,
                    Context.Id,
                    _options.TimeProvider.GetUtcNow(),
                    Context.ClientText,
                    Context.HeloName ?? string.Empty,
                    Context.Sender ?? MailPath.Null,
                    Context.SenderParameters,
                    [.. Context.Recipients],
                    _content.ToArray()));
                Context.AcceptedMessages.Add(id);
                Note($"message {id} stored");
            }
            catch (IOException e)
            {
                SessionLog.StoreFailed(_logger, e, Context.Id, id);
                outcome = outcome with { Reply = LocalError };
            }
        }

        _content.Clear();
        _dataReader.Reset();
        Apply(command, outcome);
    }

    private void Apply(SmtpCommand? command, Outcome outcome)
    {
        var reply = outcome.Reply;
        if (reply.Code is >= 500 and <= 504 && ++Context.BadCommands > _options.MaxBadCommands)
        {
            // One reply per command: this one's becomes the 421 that closes.
            Send(StandardReplies.TooManyErrors);
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
            case SessionEffect.Close:
                Send(reply);
                End(reply.Code == 221 ? "QUIT" : $"closed after {reply.Code}");
                return;
        }

        Send(reply);
    }

    private void Send(SmtpReply reply)
    {
        ReplyWriter.Write(_output, reply);
        _unflushed = true;
        foreach (var line in reply.ToString().Split("\r\n"))
        {
            Context.Transcript.Add(TranscriptDirection.Out, line);
            SessionLog.LineOut(_logger, Context.Id, line);
        }
    }

    private async ValueTask FlushAsync()
    {
        if (_unflushed)
        {
            _unflushed = false;
            await _output.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A last reply (421) on the way out; the client may already be gone.</summary>
    private async ValueTask SendFinalAsync(SmtpReply reply, string reason)
    {
        End(_mode == Mode.Command ? reason : reason + "; open transaction discarded");
        try
        {
            Send(reply);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _output.FlushAsync(timeout.Token).ConfigureAwait(false);
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

    private static string NewMessageId() => Guid.CreateVersion7().ToString("N");
}
