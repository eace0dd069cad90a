using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Bench;

/// <summary>A protocol failure seen by the client: an unexpected reply code, a closed connection, a bad reply line.</summary>
internal sealed class SmtpBenchException(string message) : Exception(message);

/// <summary>
/// One SMTP client connection on a raw socket: writes pre-encoded bytes, reads replies from one reusable buffer.
/// No SMTP library and no per-reply allocation, so the client costs the server as little CPU as possible.
/// </summary>
internal sealed class SmtpConnection : IDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private int _lastLineStart;
    private int _lastLineLength;

    private SmtpConnection(Socket socket) => _socket = socket;

    /// <summary>Whether the EHLO reply listed PIPELINING (set by <see cref="EhloAsync"/>).</summary>
    public bool Pipelining { get; private set; }

    /// <summary>The last reply line read, for error messages.</summary>
    public string LastLine => Encoding.ASCII.GetString(_buffer, _lastLineStart, Math.Min(_lastLineLength, 200));

    public static async Task<SmtpConnection> ConnectAsync(IPEndPoint endPoint, CancellationToken ct)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, ct).ConfigureAwait(false);
            return new SmtpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Blocking connect, then the banner (220 expected). The socket is tracked by <paramref name="registry"/> from
    /// before the connect, so that a deadline can close it to unblock this thread.
    /// </summary>
    public static SmtpConnection Open(IPEndPoint endPoint, SocketRegistry registry)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        registry.Track(socket);
        try
        {
            socket.Connect(endPoint);
            var c = new SmtpConnection(socket);
            c.Expect(220, "banner");
            return c;
        }
        catch
        {
            registry.Untrack(socket);
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connect, then read the banner: 220 expected.</summary>
    public static async Task<SmtpConnection> OpenAsync(IPEndPoint endPoint, CancellationToken ct)
    {
        var c = await ConnectAsync(endPoint, ct).ConfigureAwait(false);
        try
        {
            await c.ExpectAsync(220, "banner", ct).ConfigureAwait(false);
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>The socket, for <see cref="SocketRegistry.Untrack"/>.</summary>
    public Socket Socket => _socket;

    public void Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = _socket.Send(data);
            if (sent <= 0)
            {
                throw new SmtpBenchException("send returned 0");
            }

            data = data[sent..];
        }
    }

    /// <summary>Blocking EHLO: sends it, reads the whole multi-line reply, notes PIPELINING. 250 expected.</summary>
    public void Ehlo(ReadOnlySpan<byte> ehlo)
    {
        Send(ehlo);
        var pipelining = false;
        while (true)
        {
            var (code, last) = ReadLine();
            pipelining |= IsPipeliningLine();
            if (last)
            {
                if (code != 250)
                {
                    throw new SmtpBenchException($"EHLO: got '{LastLine}', expected 250");
                }

                Pipelining = pipelining;
                return;
            }
        }
    }

    /// <summary>Blocking: sends a command and checks the reply code.</summary>
    public void Command(ReadOnlySpan<byte> command, int expect, string what)
    {
        Send(command);
        Expect(expect, what);
    }

    /// <summary>Blocking: reads one (possibly multi-line) reply and checks its code.</summary>
    public void Expect(int expect, string what)
    {
        int code;
        bool last;
        do
        {
            (code, last) = ReadLine();
        }
        while (!last);

        if (code != expect)
        {
            throw new SmtpBenchException($"{what}: got '{LastLine}', expected {expect}");
        }
    }

    /// <summary>Blocking QUIT (221 awaited at most 2 s, errors ignored), then close.</summary>
    public void QuitAndClose()
    {
        try
        {
            _socket.ReceiveTimeout = 2000;
            Command(Wire.Quit, 221, "QUIT");
        }
        catch (Exception e) when (e is SocketException or SmtpBenchException or ObjectDisposedException)
        {
            // The connection is going away anyway.
        }
        finally
        {
            Dispose();
        }
    }

    private (int Code, bool Last) ReadLine()
    {
        while (true)
        {
            if (TryTakeLine(out var result))
            {
                return result;
            }

            Compact();
            var n = _socket.Receive(_buffer.AsSpan(_end), SocketFlags.None);
            if (n == 0)
            {
                throw new SmtpBenchException("connection closed by server");
            }

            _end += n;
        }
    }

    private void Compact()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start == 0)
            {
                throw new SmtpBenchException($"reply line longer than {BufferSize} bytes");
            }

            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }

    private bool IsPipeliningLine() =>
        _lastLineLength >= 14 && _buffer.AsSpan(_lastLineStart + 4, _lastLineLength - 4).StartsWith("PIPELINING"u8);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
            if (sent <= 0)
            {
                throw new SmtpBenchException("send returned 0");
            }

            data = data[sent..];
        }
    }

    /// <summary>Sends EHLO and reads the whole multi-line reply, noting PIPELINING. 250 expected.</summary>
    public async ValueTask EhloAsync(ReadOnlyMemory<byte> ehlo, CancellationToken ct)
    {
        await SendAsync(ehlo, ct).ConfigureAwait(false);
        var pipelining = false;
        while (true)
        {
            var (code, last) = await ReadLineAsync(ct).ConfigureAwait(false);
            pipelining |= IsPipeliningLine();

            if (last)
            {
                if (code != 250)
                {
                    throw new SmtpBenchException($"EHLO: got '{LastLine}', expected 250");
                }

                Pipelining = pipelining;
                return;
            }
        }
    }

    /// <summary>Sends a command and checks the reply code.</summary>
    public async ValueTask CommandAsync(ReadOnlyMemory<byte> command, int expect, string what, CancellationToken ct)
    {
        await SendAsync(command, ct).ConfigureAwait(false);
        await ExpectAsync(expect, what, ct).ConfigureAwait(false);
    }

    /// <summary>Reads one (possibly multi-line) reply and checks its code.</summary>
    public async ValueTask ExpectAsync(int expect, string what, CancellationToken ct)
    {
        var code = await ReadReplyAsync(ct).ConfigureAwait(false);
        if (code != expect)
        {
            throw new SmtpBenchException($"{what}: got '{LastLine}', expected {expect}");
        }
    }

    /// <summary>Reads one (possibly multi-line) reply; returns its 3-digit code.</summary>
    public async ValueTask<int> ReadReplyAsync(CancellationToken ct)
    {
        while (true)
        {
            var (code, last) = await ReadLineAsync(ct).ConfigureAwait(false);
            if (last)
            {
                return code;
            }
        }
    }

    /// <summary>Sends QUIT and waits (at most 2 s) for 221; errors are ignored. Then closes.</summary>
    public async Task QuitAndCloseAsync(CancellationToken ct)
    {
        try
        {
            using var quitTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quitTimeout.CancelAfter(TimeSpan.FromSeconds(2));
            await CommandAsync(Wire.Quit, 221, "QUIT", quitTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or SmtpBenchException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is going away anyway.
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>One reply line: its code and whether it is the last line of the reply ("250 " vs "250-").</summary>
    private ValueTask<(int Code, bool Last)> ReadLineAsync(CancellationToken ct)
    {
        // Fast path: a whole line is already buffered.
        return TryTakeLine(out var result) ? ValueTask.FromResult(result) : ReadLineSlowAsync(ct);
    }

    private async ValueTask<(int Code, bool Last)> ReadLineSlowAsync(CancellationToken ct)
    {
        while (true)
        {
            Compact();
            var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                throw new SmtpBenchException("connection closed by server");
            }

            _end += n;
            if (TryTakeLine(out var result))
            {
                return result;
            }
        }
    }

    private bool TryTakeLine(out (int Code, bool Last) result)
    {
        result = default;
        var lf = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (lf < 0)
        {
            return false;
        }

        var length = lf > 0 && _buffer[_start + lf - 1] == (byte)'\r' ? lf - 1 : lf;
        _lastLineStart = _start;
        _lastLineLength = length;
        _start += lf + 1;
        var line = _buffer.AsSpan(_lastLineStart, length);
        if (length < 3 || !IsDigit(line[0]) || !IsDigit(line[1]) || !IsDigit(line[2]))
        {
            throw new SmtpBenchException($"malformed reply line '{LastLine}'");
        }

        var code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        result = (code, length == 3 || line[3] != (byte)'-');
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}

/// <summary>
/// The sockets of a run that uses blocking calls: when the run must stop (deadline, Ctrl+C) <see cref="CloseAll"/>
/// closes every one of them, which unblocks the threads waiting in Send/Receive/Connect.
/// </summary>
internal sealed class SocketRegistry
{
    private readonly HashSet<Socket> _sockets = [];
    private bool _closed;

    public bool IsClosed
    {
        get
        {
            lock (_sockets)
            {
                return _closed;
            }
        }
    }

    public void Track(Socket socket)
    {
        lock (_sockets)
        {
            if (!_closed)
            {
                _sockets.Add(socket);
                return;
            }
        }

        socket.Dispose();
        throw new OperationCanceledException("the run was stopped");
    }

    public void Untrack(Socket socket)
    {
        lock (_sockets)
        {
            _sockets.Remove(socket);
        }
    }

    public void CloseAll()
    {
        Socket[] all;
        lock (_sockets)
        {
            _closed = true;
            all = [.. _sockets];
            _sockets.Clear();
        }

        foreach (var s in all)
        {
            s.Dispose();
        }
    }
}

/// <summary>The pre-encoded bytes every command sends.</summary>
internal static class Wire
{
    public const string From = "from@example.com";
    public const string To = "to@example.com";

    public static readonly byte[] Ehlo = "EHLO bench.localhost\r\n"u8.ToArray();
    public static readonly byte[] Mail = Encoding.ASCII.GetBytes($"MAIL FROM:<{From}>\r\n");
    public static readonly byte[] Rcpt = Encoding.ASCII.GetBytes($"RCPT TO:<{To}>\r\n");
    public static readonly byte[] Data = "DATA\r\n"u8.ToArray();
    public static readonly byte[] MailRcptData = [.. Mail, .. Rcpt, .. Data];
    public static readonly byte[] Rset = "RSET\r\n"u8.ToArray();
    public static readonly byte[] Noop = "NOOP\r\n"u8.ToArray();
    public static readonly byte[] Quit = "QUIT\r\n"u8.ToArray();

    /// <summary>
    /// A message of a few headers plus <paramref name="payload"/> bytes of 76-character lines (like smtp-source -l,
    /// the payload does not count the headers), then the final ".\r\n". No line starts with a dot.
    /// </summary>
    public static byte[] Message(int payload)
    {
        var head = Encoding.ASCII.GetBytes(
            $"From: <{From}>\r\nTo: <{To}>\r\nSubject: SmtpMock bench\r\nMessage-ID: <bench@example.com>\r\n\r\n");
        var body = new byte[payload];
        for (var i = 0; i < payload; i++)
        {
            body[i] = (i % 78) switch { 76 => (byte)'\r', 77 => (byte)'\n', _ => (byte)'x' };
        }

        // The payload ends with CRLF (so the final dot starts a line); no bare CR is left before it.
        if (payload >= 2)
        {
            if (payload >= 3 && body[^3] == (byte)'\r')
            {
                body[^3] = (byte)'x';
            }

            body[^2] = (byte)'\r';
            body[^1] = (byte)'\n';
        }

        // A 1-byte payload is "x": it needs a CRLF of its own before the dot.
        var end = payload == 1 ? "\r\n.\r\n"u8.ToArray() : ".\r\n"u8.ToArray();
        return [.. head, .. body, .. end];
    }
}
