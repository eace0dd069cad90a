using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// A raw socket client that can end its connection with a TCP reset (SO_LINGER on, timeout 0) instead of a FIN,
/// as a crashed client or a middlebox does. Every read is bounded by <see cref="TestServer.Deadline"/>.
/// </summary>
internal sealed class ResettingClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private ResettingClient(Socket socket) => _socket = socket;

    /// <summary>The client's own address: the server's <c>SessionContext.Client</c>.</summary>
    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    public static async Task<ResettingClient> ConnectAndGreetAsync(IPEndPoint endPoint, string ehlo)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new ResettingClient(socket);
        try
        {
            using var timeout = TestServer.Timeout();
            await socket.ConnectAsync(endPoint, timeout.Token);
            Assert.That(await client.ReadReplyAsync(), Has.One.StartsWith("220 "));
            Assert.That((await client.CommandAsync($"EHLO {ehlo}"))[^1], Does.StartWith("250 "));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.ASCII.GetBytes(text));

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = TestServer.Timeout();
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
            bytes = bytes[sent..];
        }
    }

    public async Task<IReadOnlyList<string>> CommandAsync(string command)
    {
        await WriteAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    public async Task<IReadOnlyList<string>> ReadReplyAsync()
    {
        var lines = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var line = await ReadLineAsync() ?? throw new AssertionException("the server closed the connection mid-reply: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] == ' ')
            {
                return lines;
            }
        }

        throw new AssertionException("a reply of more than 100 lines");
    }

    /// <summary>Closes with RST: unsent data is dropped and the server's next read fails with ECONNRESET.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>Half-closes: sends FIN, as <c>nc -N</c> does at the end of its input; replies can still be read.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public void Dispose() => _socket.Dispose();

    /// <summary>One line without its CRLF, or null when the server closed the connection first.</summary>
    public async Task<string?> ReadLineAsync()
    {
        // Each pass reads at least one byte into a buffer of 8 KiB, or ends: at most that many passes.
        for (var pass = 0; pass <= _buffer.Length; pass++)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                _start = lf + 1;
                return line;
            }

            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            Assert.That(_end, Is.LessThan(_buffer.Length), "a reply line longer than the read buffer");
            using var timeout = TestServer.Timeout();
            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new AssertionException($"no data from the server within {TestServer.Deadline.TotalSeconds} s");
            }

            if (read == 0)
            {
                return null;
            }

            _end += read;
        }

        throw new AssertionException("no end of line within the read buffer");
    }
}
