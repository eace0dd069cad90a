using System.Net;

namespace SmtpMock.Load.Tests.EventReaders;

/// <summary>
/// An events reader that never reads: <c>GET /api/v1/events</c> on a connection with a small receive buffer, then
/// nothing, until the test drains it to see the stream end. <c>Connection: close</c>, so that the end of the
/// response is the end of the connection.
/// </summary>
internal static class StalledEventReader
{
    /// <summary>SO_RCVBUF: the kernel doubles it and keeps a floor, a few KiB in all; the server's writes stall soon.</summary>
    private const int ReceiveBuffer = 2048;

    public static async Task<RawConnection> OpenAsync(int httpPort)
    {
        var connection = await RawConnection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, httpPort), receiveBuffer: ReceiveBuffer);
        await connection.SendAsync($"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{httpPort}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n");
        return connection;
    }
}
