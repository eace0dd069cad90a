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
internal sealed partial class SmtpSession
{
    private readonly SessionOptions _options;
    private readonly DefaultResponder _responder;
    private readonly IScenarioSession? _scenario;
    private readonly MessageStore _store;
    private readonly ILogger _logger;
    private readonly LineFramer _framer;
    private readonly MessageIntake _intake;
    private readonly ReplyOutput _output;
    private readonly ITlsUpgrader? _tls;

    private Mode _mode = Mode.Command;
    private bool _close;
    private bool _bareLfDotNoted;

    public SmtpSession(SessionOptions options, SessionRules rules, MessageStore store, SessionContext context, ILogger logger, ITlsUpgrader? tls = null)
    {
        _tls = tls;
        _options = options;
        _responder = rules.Responder;
        _scenario = rules.OpenScenario?.Invoke();
        _store = store;
        _logger = logger;
        Context = context;
        // RFC 4954 §4: AUTH lines and their continuations may be 12288 octets; the parser holds other verbs to less.
        _framer = new LineFramer(Math.Max(options.MaxCommandLineLength + CommandParser.MailLineAllowance, options.AuthOffered ? CommandParser.AuthLineLength : 0));
        _intake = new MessageIntake(options, _responder.MaxMessageSize);
        _output = new ReplyOutput(context, logger);
    }

    private enum Mode
    {
        Command,
        Data,
        Chunk,

        /// <summary>A 334 was sent: the next line answers it.</summary>
        Auth,
    }

    public SessionContext Context { get; }

    /// <summary>
    /// Runs the dialog until QUIT, a 421, the client closing, a timeout or <paramref name="shutdown"/>
    /// (which sends 421 4.3.2). Transport errors end the session quietly; nothing accepted is lost.
    /// </summary>
    public async Task RunAsync(PipeReader input, PipeWriter output, CancellationToken shutdown)
    {
        _output.Attach(output);
        using var deadline = new SessionDeadline(_options, shutdown);
        try
        {
            Greet();
            await WriteDelayedAsync(deadline, shutdown).ConfigureAwait(false);
            await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
            deadline.Arm(data: false);
            while (!_close)
            {
                var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var commandsBefore = Context.Commands + Context.AuthResponses;
                var modeBefore = _mode;
                while (!_close && !_startTls && Step(ref buffer))
                {
                    await WriteDelayedAsync(deadline, shutdown).ConfigureAwait(false);
                }

                var unread = buffer.Length;
                input.AdvanceTo(buffer.Start, buffer.End);
                if (_close)
                {
                    break;
                }

                if (_startTls)
                {
                    if (await StartTlsAsync(input, output, unread, deadline, shutdown).ConfigureAwait(false) is not { } secure)
                    {
                        break;
                    }

                    (input, output) = secure;
                    continue;
                }

                if (result.IsCompleted)
                {
                    End(_mode is not (Mode.Data or Mode.Chunk) ? "client closed the connection" : "client closed the connection mid-message; transaction discarded");
                    break;
                }

                // The deadline is per command: it restarts when a command completes, or while content flows.
                if (Context.Commands + Context.AuthResponses != commandsBefore || _mode is Mode.Data or Mode.Chunk || modeBefore is Mode.Data or Mode.Chunk)
                {
                    deadline.Arm(data: _mode is Mode.Data or Mode.Chunk);
                }

                // A client that never reads its replies blocks this flush: the same deadline bounds it.
                await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
            }

            await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await SendFinalAsync(StandardReplies.ShuttingDown, "server shutting down").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.Fired)
        {
            await SendFinalAsync(deadline.MessageDeadlineFired ? StandardReplies.MessageDeadline : StandardReplies.Timeout, deadline.Label).ConfigureAwait(false);
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
    private async ValueTask WriteDelayedAsync(SessionDeadline deadline, CancellationToken shutdown)
    {
        if (!_output.HasDelayed)
        {
            return;
        }

        deadline.Pause();
        await _output.WriteDelayedAsync(_options.TimeProvider, shutdown, deadline.Token).ConfigureAwait(false);
        deadline.Arm(data: _mode is Mode.Data or Mode.Chunk);
    }

    private async ValueTask SendFinalAsync(SmtpReply reply, string reason)
    {
        if (_close)
        {
            // The session had already said its last word (221, a 421): nothing may follow it.
            Note($"{reason} while the last replies were being sent");
            return;
        }

        End(_mode is not (Mode.Data or Mode.Chunk) ? reason : reason + "; open transaction discarded");
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
