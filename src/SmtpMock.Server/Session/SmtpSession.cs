using System.IO.Pipelines;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Session;

/// <summary>
/// Runs one SMTP dialog over a pipe pair, no sockets, so tests and fuzzers drive it directly. Data flows one way: each
/// read is cut synchronously into steps by <see cref="StepReader"/> (framing, parsing), each step is decided and carried
/// out by <see cref="SessionDialog"/> (the awaited decisions, <see cref="Verdict"/>, state from <see cref="StateTable"/>
/// alone), and <see cref="ReplyOutput"/> writes, every reply of one read in one flush (PIPELINING). This loop owns what is
/// left: the pipes, the client's clock (<see cref="SessionDeadline"/>), STARTTLS's switch to encrypted pipes and the
/// last reply on a timeout or the server's stop. What happens is told to observers as typed events (<see cref="Events"/>).
/// </summary>
internal sealed partial class SmtpSession
{
    private readonly SessionOptions _options;
    private readonly StepReader _reader;
    private readonly SessionDialog _dialog;
    private readonly MessageIntake _intake;
    private readonly ReplyOutput _output;
    private readonly SessionEvents _events;
    private readonly ITlsUpgrader? _tls;
    private readonly SessionFaults _faults;

    public SmtpSession(SessionOptions options, SessionRules rules, IMessageStore store, SessionContext context, SessionEvents events, ITlsUpgrader? tls = null)
    {
        _tls = tls;
        _options = options;
        _events = events;
        Context = context;
        var scenario = new SessionScenario(rules, context, events);
        var auth = new SessionAuth(context, options, events);
        _intake = new MessageIntake(options, rules.Responder.MaxMessageSize, store);
        _output = new ReplyOutput(events, options.TimeProvider);
        _faults = new SessionFaults(context, _output, events);
        _dialog = new SessionDialog(options, scenario, context, _intake, _output, _faults, auth, events);
        _reader = new StepReader(options, context, _intake, auth, events);
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
            await _dialog.GreetAsync(shutdown).ConfigureAwait(false);
            await WriteDelayedAsync(deadline, shutdown).ConfigureAwait(false);
            await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
            deadline.Arm(data: false);
            while (!_dialog.Closed)
            {
                var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var commandsBefore = Context.Commands + Context.AuthResponses;
                var contentBefore = ReadingContent;
                while (!_dialog.Closed && Context.State != SessionState.StartingTls && _reader.TryTake(ref buffer, out var step))
                {
                    await _dialog.ApplyStepAsync(step, deadline.Token).ConfigureAwait(false);
                    await WriteDelayedAsync(deadline, shutdown).ConfigureAwait(false);
                }

                var unread = buffer.Length;
                input.AdvanceTo(buffer.Start, buffer.End);
                if (_dialog.Closed)
                {
                    break;
                }

                if (Context.State == SessionState.StartingTls)
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
                    End(ReadingContent ? "client closed the connection mid-message; transaction discarded" : "client closed the connection");
                    break;
                }

                // The deadline is per command: it restarts when a command completes, or while content flows.
                if (Context.Commands + Context.AuthResponses != commandsBefore || ReadingContent || contentBefore)
                {
                    deadline.Arm(data: ReadingContent);
                }

                // A client that never reads its replies blocks this flush: the same deadline bounds it.
                await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
            }

            await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
            if (_faults.Hang)
            {
                await _faults.HangAsync(input, deadline).ConfigureAwait(false);
            }
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
        }
    }

    /// <summary>Content is flowing: DATA after its 354, or the octets of a BDAT chunk.</summary>
    private bool ReadingContent => Context.State == SessionState.ReceivingData || _intake.ChunkPending;

    /// <summary>A delayed reply is the server's own time: the client's clock stops for it and restarts after.</summary>
    private async ValueTask WriteDelayedAsync(SessionDeadline deadline, CancellationToken shutdown)
    {
        if (!_output.HasDelayed)
        {
            return;
        }

        deadline.Pause();
        await _output.WriteDelayedAsync(shutdown, deadline.Token).ConfigureAwait(false);
        deadline.Arm(data: ReadingContent);
    }

    private async ValueTask SendFinalAsync(SmtpReply reply, string reason)
    {
        if (_dialog.Closed)
        {
            // The session had already said its last word (221, a 421): nothing may follow it.
            Note($"{reason} while the last replies were being sent");
            return;
        }

        End(ReadingContent || Context.State is SessionState.ReceivingData ? reason + "; open transaction discarded" : reason);
        await _output.SendFinalAsync(reply).ConfigureAwait(false);
    }

    private void End(string reason) => _dialog.End(reason);

    private void Note(string text) => _events.Note(text);
}
