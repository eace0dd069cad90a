using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Engines.Tests.Haproxy;

/// <summary>
/// A server for HAProxy to balance, on 127.0.0.1 port 0. As TCP it greets every connection with its name (as an
/// SMTP server greets first) and keeps the bytes it receives until the client closes; as HTTP it answers each
/// request with its name and closes. What each connection brought is in <see cref="Received"/>.
/// </summary>
internal sealed class TinyBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _http;
    private readonly Task _accepting;

    private TinyBackend(string name, bool http)
    {
        Name = name;
        _http = http;
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>Every finished connection's bytes, in the order they ended (a health check's connection brings none).</summary>
    public ConcurrentQueue<byte[]> Received { get; } = new();

    public static TinyBackend Tcp(string name) => new(name, http: false);

    public static TinyBackend Http(string name) => new(name, http: true);

    /// <summary>Stops listening (HAProxy's connect and check then fail) and waits for the connections to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var received = new MemoryStream();
        try
        {
            var stream = client.GetStream();
            if (!_http)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(Name + "\r\n"), _stop.Token);
            }

            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (_http && EndsWithBlankLine(received))
                {
                    var body = Encoding.ASCII.GetBytes(Name);
                    var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray(), _stop.Token);
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // Stopped, or the peer reset: what arrived still counts.
        }

        Received.Enqueue(received.ToArray());
    }

    private static bool EndsWithBlankLine(MemoryStream received) =>
        received.Length >= 4 && received.GetBuffer().AsSpan(0, (int)received.Length).EndsWith("\r\n\r\n"u8);
}
