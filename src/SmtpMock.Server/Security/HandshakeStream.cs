namespace SmtpMock.Server.Security;

/// <summary>
/// The connection's stream as <see cref="System.Net.Security.SslStream"/> sees it: during the handshake every read
/// continues on the thread pool. The smtpmock executable runs socket continuations inline on one socket-engine thread
/// (a session's work per read is short: Cli's InlineCompletions), so without this the handshake's key exchange and
/// signature ran on that thread and held every other session's I/O: 200 STARTTLS handshakes at once stalled a
/// plaintext client for a second on 2 cores, and took five times as long as on the pool (tests/SmtpMock.Load.Tests,
/// TlsFloodTests). After the handshake reads pass through as they are: decrypting a record is cheap.
/// </summary>
internal sealed class HandshakeStream(Stream inner) : Stream
{
    private volatile bool _handshaking = true;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The handshake is over (done or failed): reads no longer leave the thread they complete on.</summary>
    public void HandshakeEnded() => _handshaking = false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (_handshaking)
        {
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
