using System.Net;
using System.Net.Sockets;

namespace SmtpMock.Server.Tests.Security;

/// <summary>A connected pair of TCP sockets on 127.0.0.1 (port 0), as the server and a client would hold them.</summary>
internal sealed class LoopbackPair : IAsyncDisposable
{
    private LoopbackPair(TcpClient client, TcpClient server)
    {
        Client = client;
        Server = server;
    }

    public TcpClient Client { get; }

    public TcpClient Server { get; }

    public static async Task<LoopbackPair> ConnectAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var client = new TcpClient();
            var connecting = client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, timeout.Token).AsTask();
            var server = await listener.AcceptTcpClientAsync(timeout.Token);
            await connecting;
            return new LoopbackPair(client, server);
        }
        finally
        {
            listener.Stop();
        }
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        Server.Dispose();
        return ValueTask.CompletedTask;
    }
}
