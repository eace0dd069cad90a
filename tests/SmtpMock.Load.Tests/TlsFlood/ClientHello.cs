using System.Net.Security;

namespace SmtpMock.Load.Tests.TlsFlood;

/// <summary>
/// A real TLS ClientHello, as .NET's <see cref="SslStream"/> writes it: captured once from a handshake over a
/// stream that keeps what is written and answers nothing, then replayed (whole or cut short) by the connections
/// that stall after it. The server cannot tell a replayed ClientHello from a fresh one before its next flight.
/// </summary>
internal static class ClientHello
{
    public static async Task<byte[]> CaptureAsync()
    {
        var wire = new FirstFlightStream();
        await using var tls = new SslStream(wire);
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        var hello = await wire.Written.Task.WaitAsync(WireClient.Deadline);
        wire.EndOfStream();
        Assert.That(async () => await handshake.WaitAsync(WireClient.Deadline), Throws.InstanceOf<IOException>().Or.InstanceOf<System.Security.Authentication.AuthenticationException>());
        Assert.That(hello[0], Is.EqualTo(0x16), "a TLS handshake record");
        return hello;
    }

    /// <summary>Keeps the first write; a read waits until <see cref="EndOfStream"/> and then reads nothing.</summary>
    private sealed class FirstFlightStream : Stream
    {
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<byte[]> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void EndOfStream() => _ended.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _ended.Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.TrySetResult(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
