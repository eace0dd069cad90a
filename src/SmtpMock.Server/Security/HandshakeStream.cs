namespace SmtpMock.Server.Security;

/// <summary>
/// The connection's stream as <see cref="System.Net.Security.SslStream"/> sees it: during the handshake every read
/// continues on the thread pool. The smtpmock executable runs socket continuations inline on one socket-engine thread
/// (a session's work per read is short: Cli's InlineCompletions), so without this the handshake's key exchange and
/// signature ran on that thread and held every other session's I/O: 200 STARTTLS handshakes at once stalled a
/// plaintext client for a second on 2 cores, and took five times as long as on the pool (tests/SmtpMock.Load.Tests,
/// TlsFloodTests). After the handshake reads pass through as they are: decrypting a record is cheap.
/// </summary>
internal sealed class HandshakeStream(Stream inner) : Hosting.PassThroughStream(inner)
{
    private volatile bool _handshaking = true;

    /// <summary>The handshake is over (done or failed): reads no longer leave the thread they complete on.</summary>
    public void HandshakeEnded() => _handshaking = false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (_handshaking)
        {
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);
}
