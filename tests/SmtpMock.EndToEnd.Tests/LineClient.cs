using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>
/// A telnet-like client: writes exactly the bytes it is given and reads replies line by line, every read bounded
/// by <see cref="TestServer.Deadline"/>.
/// </summary>
internal sealed class LineClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private LineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<LineClient> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        using var timeout = TestServer.Timeout();
        await tcp.ConnectAsync(endPoint, timeout.Token);
        return new LineClient(tcp);
    }

    /// <summary>Connects and reads the greeting, which must be a 220.</summary>
    public static async Task<LineClient> ConnectAndGreetAsync(IPEndPoint endPoint, string? ehlo = "client.test")
    {
        var client = await ConnectAsync(endPoint);
        var greeting = await client.ReadReplyAsync();
        Assert.That(greeting[0], Does.StartWith("220 "));
        if (ehlo is not null)
        {
            var reply = await client.CommandAsync($"EHLO {ehlo}");
            Assert.That(reply[^1], Does.StartWith("250 "));
        }

        return client;
    }

    /// <summary>Sends the text as it is (no line ending added).</summary>
    public async Task WriteAsync(string text) => await WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        using var timeout = TestServer.Timeout();
        await _stream.WriteAsync(bytes, timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    /// <summary>Sends one command with CRLF and reads its (possibly multi-line) reply.</summary>
    public async Task<IReadOnlyList<string>> CommandAsync(string command)
    {
        await WriteAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>Reads one reply: lines up to the one whose fourth character is a space.</summary>
    public async Task<IReadOnlyList<string>> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new AssertionException(
                "the server closed the connection in the middle of a reply; read so far: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] == ' ')
            {
                return lines;
            }
        }
    }

    /// <summary>One line without its CRLF, or null when the server closed the connection first.</summary>
    public async Task<string?> ReadLineAsync()
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var length = lf - _start;
                if (length > 0 && _buffer[lf - 1] == '\r')
                {
                    length--;
                }

                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = lf + 1;
                return line;
            }

            if (await FillAsync() == 0)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Reads until the server closes the connection and returns whatever arrived before; fails the test if the
    /// connection is still open at the deadline.
    /// </summary>
    public async Task<string> ReadUntilClosedAsync()
    {
        var rest = new StringBuilder();
        rest.Append(Encoding.UTF8.GetString(_buffer, _start, _end - _start));
        _start = _end;
        while (await FillAsync() > 0)
        {
            rest.Append(Encoding.UTF8.GetString(_buffer, _start, _end - _start));
            _start = _end;
        }

        return rest.ToString();
    }

    private async Task<int> FillAsync()
    {
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
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new AssertionException($"no data from the server within {TestServer.Deadline.TotalSeconds} s");
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // A reset is a close too (the server may close while our unread data is in flight).
            read = 0;
        }

        _end += read;
        return read;
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
