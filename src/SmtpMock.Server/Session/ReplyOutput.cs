using System.IO.Pipelines;
using System.Text;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// The session's way out: writes replies (or a rule's raw bytes) to the pipe and tells the events, holds back a reply a
/// rule delays, and flushes. Replies to every complete command of one read are flushed together (PIPELINING); a
/// delayed reply first flushes what came before it.
/// </summary>
internal sealed class ReplyOutput(SessionEvents events, TimeProvider clock)
{
    private PipeWriter _output = null!;
    private bool _unflushed;
    private (SmtpReply Reply, Intervention Rule, ScenarioPoint Point)? _delayed;
    private ReplyPacing? _pacing;

    /// <summary>A reply is waiting for its rule's delay.</summary>
    public bool HasDelayed => _delayed is not null;

    public void Attach(PipeWriter output) => _output = output;

    /// <summary>From now on replies go out paced (a rate in octets a second) or fragmented, or both.</summary>
    public void Pace(int? rate, bool fragment)
    {
        _pacing = new ReplyPacing(rate ?? _pacing?.Rate, fragment || _pacing?.Fragments == true, clock);
        events.Note(_pacing.ToString());
    }

    /// <summary>Where a reply's octets go: the pipe, or the pacing's hold.</summary>
    private System.Buffers.IBufferWriter<byte> Target => _pacing is { } pacing ? pacing.Buffer : _output;

    /// <summary>Writes a reply now, or holds it back when its rule delays it.</summary>
    public void Emit(SmtpReply reply, Intervention? rule, ScenarioPoint point)
    {
        if (rule is { Delay: var delay } && delay > TimeSpan.Zero)
        {
            _delayed = (reply, rule, point);
            return;
        }

        Write(reply, rule, point);
    }

    /// <summary>Flushes what came before, waits out the rule's delay (only a shutdown cuts it short), then writes.</summary>
    public async ValueTask WriteDelayedAsync(CancellationToken shutdown, CancellationToken flushDeadline)
    {
        if (_delayed is not { } delayed)
        {
            return;
        }

        _delayed = null;
        await FlushAsync(flushDeadline).ConfigureAwait(false);
        events.Note($"rule '{delayed.Rule.Rule}' delays the reply by {delayed.Rule.Delay.TotalMilliseconds:0} ms");
        await Task.Delay(delayed.Rule.Delay, clock, shutdown).ConfigureAwait(false);
        Write(delayed.Reply, delayed.Rule, delayed.Point);
    }

    /// <summary>Writes a reply, or the rule's raw bytes in its place, and tells the events.</summary>
    public void Write(SmtpReply reply, Intervention? rule, ScenarioPoint point)
    {
        _unflushed = true;
        if (rule?.Raw is { } raw)
        {
            ReplyWriter.WriteRaw(Target, raw);
            var shown = Encoding.UTF8.GetString(raw).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            events.Reply(reply, point, rule.Rule, shown);
            return;
        }

        ReplyWriter.Write(Target, reply);
        events.Reply(reply, point, rule?.Rule, null);
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
        // The last word goes out at once, not paced: a stop or a timeout must not wait on a throttle.
        _pacing = null;
        try
        {
            Write(reply, null, ScenarioPoint.Any);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await FlushOutputAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            events.Note($"could not send {reply.Code}: {e.Message}");
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
        if (_pacing is { HasHeld: true } pacing)
        {
            await pacing.FlushAsync(_output, FlushPipeAsync, cancellationToken).ConfigureAwait(false);
            return;
        }

        await FlushPipeAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask FlushPipeAsync(CancellationToken cancellationToken)
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
}
