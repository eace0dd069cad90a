using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Tests.Shared;

/// <summary>
/// A raw SMTP client for tests, telnet-like: writes exactly the bytes it is given, reads replies line by line, and
/// bounds every connect, read and write by <see cref="Deadline"/>. It can also end a connection the hostile ways:
/// a half-close (FIN, as <c>nc -N</c>) or a reset (RST, as a crashed client). Compiled into each test project that
/// talks SMTP over sockets (linked, not copied).
/// </summary>
internal sealed class WireClient : IDisposable, IAsyncDisposable
{
    /// <summary>The bound of every single connect, read and write.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private const int MaxReplyLines = 100;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private WireClient(Socket socket) => _socket = socket;

    /// <summary>Something the server sent is waiting to be read (without reading it).</summary>
    public bool HasPendingInput => _end > _start || _socket.Available > 0;

    /// <summary>The client's own address: the server's <c>SessionContext.Client</c>.</summary>
    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    /// <summary>Connects and reads nothing: the greeting is the test's to read.</summary>
    public static async Task<WireClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(Deadline);
            await socket.ConnectAsync(endPoint, timeout.Token);
            return new WireClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects, reads the greeting (a 220) and, unless <paramref name="ehlo"/> is null, says EHLO (a 250).</summary>
    public static async Task<WireClient> ConnectAndGreetAsync(IPEndPoint endPoint, string? ehlo = "client.test")
    {
        var client = await ConnectAsync(endPoint);
        try
        {
            Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("220 "));
            if (ehlo is not null)
            {
                Assert.That((await client.CommandAsync($"EHLO {ehlo}"))[^1], Does.StartWith("250 "));
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>MAIL, RCPT and DATA pipelined; asserts 250, 250, 354.</summary>
    public async Task BeginDataAsync(string sender, string recipient)
    {
        await WriteAsync($"MAIL FROM:<{sender}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
        Assert.That((await ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await ReadReplyAsync()).Single(), Does.StartWith("354 "));
    }

    /// <summary>A whole message (content already dot-stuffed, ending in CRLF); returns the id of "250 2.0.0 OK: queued as ID".</summary>
    public async Task<string> SendMessageAsync(string sender, string recipient, string content)
    {
        await BeginDataAsync(sender, recipient);
        await WriteAsync(content + ".\r\n");
        var accepted = (await ReadReplyAsync()).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));
        return accepted[(accepted.LastIndexOf(' ') + 1)..];
    }

    /// <summary>Sends the text as it is, UTF-8, no line ending added.</summary>
    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    public Task WriteAsync(byte[] bytes) => WriteAsync(bytes.AsMemory());

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Deadline);
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
            bytes = bytes[sent..];
        }
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
        for (var i = 0; i < MaxReplyLines; i++)
        {
            var line = await ReadLineAsync() ?? throw new AssertionException(
                "the server closed the connection in the middle of a reply; read so far: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] == ' ')
            {
                return lines;
            }
        }

        throw new AssertionException($"a reply of more than {MaxReplyLines} lines");
    }

    /// <summary>One line without its CRLF (one CR is removed before the LF, not more), or null when the server closed first.</summary>
    public async Task<string?> ReadLineAsync()
    {
        // Each pass reads at least one byte into the 8 KiB buffer, or ends: at most that many passes.
        for (var pass = 0; pass <= _buffer.Length; pass++)
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

            Compact();
            Assert.That(_end, Is.LessThan(_buffer.Length), "a reply line longer than the read buffer");
            var read = await ReceiveAsync();
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }

        throw new AssertionException("no end of line within the read buffer");
    }

    /// <summary>What arrives until the server closes; fails the test if it is still open at the deadline.</summary>
    public async Task<string> ReadUntilClosedAsync()
    {
        var rest = new StringBuilder(Encoding.UTF8.GetString(_buffer, _start, _end - _start));
        _start = _end = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var read = await ReceiveAsync();
            if (read == 0)
            {
                return rest.ToString();
            }

            rest.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }

        throw new AssertionException("the server kept sending");
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

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Compact()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }

    /// <summary>Reads into the free end of the buffer; a reset counts as a close (the server may close while our unread data is in flight).</summary>
    private async Task<int> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            return await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new AssertionException($"no data from the server within {Deadline.TotalSeconds} s");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return 0;
        }
    }
}
