namespace SmtpMock.Server.Tests.Harness;

/// <summary>A MemoryStream that counts writes, to see how replies were batched into flushes.</summary>
internal sealed class CountingStream : MemoryStream
{
    public int Writes { get; private set; }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Writes++;
        base.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Writes++;
        return base.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Writes++;
        return base.WriteAsync(buffer, offset, count, cancellationToken);
    }
}
