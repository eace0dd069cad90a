namespace SmtpMock.Server.Tests.Harness;

/// <summary>A MemoryStream that counts flushes that carried data, to see how replies were batched.</summary>
internal sealed class CountingStream : MemoryStream
{
    private bool _pending;

    public int Writes { get; private set; }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _pending |= count > 0;
        base.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pending |= buffer.Length > 0;
        base.Write(buffer);
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        if (_pending)
        {
            Writes++;
            _pending = false;
        }
    }
}
