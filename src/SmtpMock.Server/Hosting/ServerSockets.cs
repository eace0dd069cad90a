using System.Net;
using System.Net.Sockets;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Hosting;

/// <summary>What the server does to sockets itself: listen, refuse with one reply, close in order, or reset.</summary>
internal static class ServerSockets
{
    /// <summary>How long the close_notify of a TLS session may take to go out before the socket closes anyway.</summary>
    private static readonly TimeSpan TlsCloseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A listening socket on <paramref name="endPoint"/> (dual-stack on [::]).</summary>
    public static Socket Listen(IPEndPoint endPoint)
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            // No ReuseAddress: on Linux .NET maps it to SO_REUSEPORT as well, which lets a second server share the
            // port and take half the connections. .NET already sets SO_REUSEADDR on every TCP socket it binds on
            // Unix, so a restart on a port left in TIME_WAIT still binds at once (PortTests prove both).
            listener.Bind(endPoint);
            listener.Listen(512);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public static EndPoint? RemoteEndPoint(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (SocketException)
        {
            // The client left between accept and now.
            return null;
        }
    }

    /// <summary>TLS's close_notify (bounded), FIN, then the socket goes.</summary>
    public static async ValueTask CloseOrderlyAsync(Socket socket, SessionTls? tls)
    {
        if (tls is not null)
        {
            await tls.CloseAsync(TlsCloseTimeout).ConfigureAwait(false);
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        socket.Dispose();
    }

    /// <summary>
    /// <c>then: reset</c>: an abortive close (linger on, zero timeout) sends a TCP RST, not a FIN, and no close_notify.
    /// <c>Close(0)</c>, not Dispose: on Linux .NET shuts a socket with pending operations down (a FIN) before an orderly close.
    /// </summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone: the close below costs nothing.
        }

        socket.Close(0);
    }

    public static async ValueTask CompleteQuietlyAsync(ValueTask completing)
    {
        try
        {
            await completing.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The connection is closed; what was not sent is not wanted.
        }
    }

    /// <summary>One reply (a 421 of the connection caps), then the socket closes; never greeted.</summary>
    public static async Task RefuseAsync(Socket socket, SmtpReply reply)
    {
        using (socket)
        {
            try
            {
                var writer = new System.Buffers.ArrayBufferWriter<byte>(64);
                ReplyWriter.Write(writer, reply);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.SendAsync(writer.WrittenMemory, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The refused client left first: nothing to do.
            }
        }
    }
}
