namespace SmtpMock.Server.Hosting;

/// <summary>
/// A connection's stream with octets already read put back in front: what followed the PROXY header in the same read
/// (a pipelined EHLO, or the TLS ClientHello on the implicit TLS port) reaches the session or the handshake first,
/// then reads go to the socket as before. Writes and disposal go straight to the connection's stream.
/// </summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : PassThroughStream(inner)
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _prefix.IsEmpty ? Inner.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(TakePrefix(buffer.Span));

    public override int Read(Span<byte> buffer) => _prefix.IsEmpty ? Inner.Read(buffer) : TakePrefix(buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Copies what fits of the prefix (none for a zero-byte read, which only asks whether data is there: it is).</summary>
    private int TakePrefix(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..count].CopyTo(buffer);
        _prefix = _prefix[count..];
        return count;
    }
}
