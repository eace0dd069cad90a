using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// The session's way out: writes replies (or a rule's raw bytes) to the pipe and the transcript, holds back a reply a
/// rule delays, and flushes. Replies to every complete command of one read are flushed together (PIPELINING); a
/// delayed reply first flushes what came before it.
/// </summary>
internal sealed class ReplyOutput(SessionContext context, ILogger logger)
{
    private PipeWriter _output = null!;
    private bool _unflushed;
    private (SmtpReply Reply, Intervention Rule)? _delayed;

    /// <summary>A reply is waiting for its rule's delay.</summary>
    public bool HasDelayed => _delayed is not null;

    public void Attach(PipeWriter output) => _output = output;

    /// <summary>Writes a reply now, or holds it back when its rule delays it.</summary>
    public void Emit(SmtpReply reply, Intervention? rule)
    {
        if (rule is { Delay: var delay } && delay > TimeSpan.Zero)
        {
            _delayed = (reply, rule);
            return;
        }

        Write(reply, rule);
    }

    /// <summary>Flushes what came before, waits out the rule's delay (only a shutdown cuts it short), then writes.</summary>
    public async ValueTask WriteDelayedAsync(TimeProvider clock, CancellationToken shutdown, CancellationToken flushDeadline)
    {
        if (_delayed is not { } delayed)
        {
            return;
        }

        _delayed = null;
        await FlushAsync(flushDeadline).ConfigureAwait(false);
        Note($"rule '{delayed.Rule.Rule}' delays the reply by {delayed.Rule.Delay.TotalMilliseconds:0} ms");
        await Task.Delay(delayed.Rule.Delay, clock, shutdown).ConfigureAwait(false);
        Write(delayed.Reply, delayed.Rule);
    }

    /// <summary>Writes a reply, or the rule's raw bytes in its place, and records every line sent.</summary>
    public void Write(SmtpReply reply, Intervention? rule)
    {
        _unflushed = true;
        if (rule?.Raw is { } raw)
        {
            ReplyWriter.WriteRaw(_output, raw);
            var shown = Encoding.UTF8.GetString(raw).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            Record($"(raw) {shown}", rule.Rule);
            return;
        }

        ReplyWriter.Write(_output, reply);
        var lines = reply.WireLines;
        for (var i = 0; i < lines.Count; i++)
        {
            // An index, not foreach: foreach over the interface allocates an enumerator for every reply.
            Record(lines[i], rule?.Rule);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_unflushed)
        {
            _unflushed = false;
            await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A last reply (421) on the way out; the client may already be gone.</summary>
    public async ValueTask SendFinalAsync(SmtpReply reply)
    {
        try
        {
            Write(reply, null);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await FlushOutputAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            Note($"could not send {reply.Code}: {e.Message}");
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

    private void Record(string line, string? rule)
    {
        context.Transcript.Add(TranscriptDirection.Out, line, rule);
        SessionLog.LineOut(logger, context.Id, line);
    }

    private void Note(string text)
    {
        context.Transcript.Add(TranscriptDirection.Note, text);
        SessionLog.Note(logger, context.Id, text);
    }
}
