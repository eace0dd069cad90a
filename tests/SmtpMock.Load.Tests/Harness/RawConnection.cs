using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Load.Tests.Harness;

/// <summary>
/// One loopback TCP connection driven byte by byte, for clients that misbehave for longer than
/// <see cref="WireClient.Deadline"/> allows one read to take: trickling, stalling mid-handshake, never reading.
/// Every wait has its own deadline. It can connect from another loopback address (127.0.0.2) and with a small
/// receive buffer (a reader that never reads then fills up at once).
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private const int MaxReplyLines = 100;

    private readonly Socket _socket;
    private readonly StringBuilder _pending = new();

    private RawConnection(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    /// <param name="endPoint">The server.</param>
    /// <param name="from">The local address to connect from (any 127.x.y.z is this machine); the system's choice when null.</param>
    /// <param name="receiveBuffer">SO_RCVBUF, set before connecting so the window is small from the start.</param>
    public static async Task<RawConnection> ConnectAsync(IPEndPoint endPoint, IPAddress? from = null, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBuffer is { } size)
            {
                socket.ReceiveBufferSize = size;
            }

            if (from is not null)
            {
                socket.Bind(new IPEndPoint(from, 0));
            }

            using var timeout = new CancellationTokenSource(WireClient.Deadline);
            await socket.ConnectAsync(endPoint, timeout.Token);
            return new RawConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WireClient.Deadline);
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token)..];
        }
    }

    /// <summary>Reads one whole reply (up to its line with a space after the code) and returns its last line.</summary>
    public async Task<string> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(WireClient.Deadline);
        var buffer = new byte[1024];
        for (var lines = 0; lines < MaxReplyLines;)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                lines++;
                var line = text[..end];
                if (line.Length < 4 || line[3] == ' ')
                {
                    return line;
                }

                continue;
            }

            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new AssertionException($"the server closed the connection in the middle of a reply: '{_pending}'");
            }

            _pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        throw new AssertionException($"a reply of more than {MaxReplyLines} lines");
    }

    /// <summary>Sends one command and asserts that its reply starts with <paramref name="expected"/>.</summary>
    public async Task<string> CommandAsync(string command, string expected)
    {
        await SendAsync(command + "\r\n");
        var reply = await ReadReplyAsync();
        Assert.That(reply, Does.StartWith(expected), command);
        return reply;
    }

    /// <summary>
    /// Reads (and counts) whatever comes until the server closes the connection (end of stream, or a reset); fails
    /// the test after <paramref name="limit"/>. Keeps the last octets as text for the assertions on a final reply.
    /// </summary>
    public async Task<Closed> ReadUntilClosedAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(limit);
        var buffer = new byte[16 * 1024];
        var tail = new StringBuilder(_pending.ToString());
        long octets = tail.Length;
        try
        {
            // Each pass reads at least one octet or ends; the deadline bounds the passes in time.
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return new Closed(octets, tail.ToString(), clock.Elapsed, Reset: false);
                }

                octets += read;
                tail.Append(Encoding.ASCII.GetString(buffer, Math.Max(0, read - 1024), Math.Min(read, 1024)));
                if (tail.Length > 1024)
                {
                    tail.Remove(0, tail.Length - 1024);
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return new Closed(octets, tail.ToString(), clock.Elapsed, Reset: true);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new AssertionException($"the server had not closed the connection {limit.TotalSeconds:0} s later; last octets: '{tail}'");
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>How a connection ended: octets read until then, the last of them, how long it took, whether by a reset.</summary>
    internal sealed record Closed(long Octets, string Tail, TimeSpan After, bool Reset);
}
