using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Cli.Tests.Process;

/// <summary>
/// A raw SMTP client for the process tests: writes exactly the bytes it is given, reads replies line by line, and
/// bounds every read and write by <see cref="Deadline"/>.
/// </summary>
internal sealed class WireClient : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private WireClient(Socket socket) => _socket = socket;

    /// <summary>Connects, reads the 220 and says EHLO.</summary>
    public static async Task<WireClient> ConnectAsync(IPEndPoint endPoint, string ehlo)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new WireClient(socket);
        try
        {
            using var timeout = new CancellationTokenSource(Deadline);
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

    /// <summary>MAIL, RCPT and DATA pipelined; asserts 250, 250, 354.</summary>
    public async Task BeginDataAsync(string sender, string recipient)
    {
        await WriteAsync($"MAIL FROM:<{sender}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
        Assert.That((await ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await ReadReplyAsync()).Single(), Does.StartWith("354 "));
    }

    /// <summary>A whole message; returns its id from "250 2.0.0 OK: queued as ID".</summary>
    public async Task<string> SendMessageAsync(string sender, string recipient, string content)
    {
        await BeginDataAsync(sender, recipient);
        await WriteAsync(content + ".\r\n");
        var accepted = (await ReadReplyAsync()).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));
        return accepted[(accepted.LastIndexOf(' ') + 1)..];
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.ASCII.GetBytes(text));

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

    /// <summary>What arrives until the server closes; fails if it is still open at the deadline.</summary>
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

    public void Dispose() => _socket.Dispose();

    private async Task<string?> ReadLineAsync()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                _start = lf + 1;
                return line;
            }

            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            Assert.That(_end, Is.LessThan(_buffer.Length), "a reply line longer than the read buffer");
            var read = await ReceiveAsync(_end);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }

        throw new AssertionException("no end of line in 10000 reads");
    }

    private async Task<int> ReceiveAsync(int offset = 0)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            return await _socket.ReceiveAsync(_buffer.AsMemory(offset), SocketFlags.None, timeout.Token);
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
