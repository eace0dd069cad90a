using System.Buffers;
using System.IO.Pipelines;

namespace SmtpMock.Fuzz;

/// <summary>
/// A PipeReader over one array that makes <c>chunk</c> more bytes visible each time everything visible was
/// examined, then reports the client gone. Positions of an array-backed sequence are indexes into the array.
/// </summary>
internal sealed class ChunkedReader(byte[] data, int chunk) : PipeReader
{
    private int _consumed;
    private int _visible;
    private bool _examinedAll = true;

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _consumed = consumed.GetInteger();
        _examinedAll = examined.GetInteger() >= _visible;
    }

    public override void CancelPendingRead()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        TryRead(out var result);
        return ValueTask.FromResult(result);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_examinedAll)
        {
            _visible = Math.Min(data.Length, _visible + chunk);
            _examinedAll = false;
        }

        result = new ReadResult(new ReadOnlySequence<byte>(data, _consumed, _visible - _consumed), false, _visible == data.Length);
        return true;
    }
}
