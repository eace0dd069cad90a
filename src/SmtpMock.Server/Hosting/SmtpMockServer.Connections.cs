using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Hosting;

/// <summary>Small pieces of connection handling: the peer's address, quiet completion, refusing past the cap, log messages.</summary>
public sealed partial class SmtpMockServer
{
    private static EndPoint? RemoteEndPoint(Socket socket)
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

    private static async ValueTask CompleteQuietlyAsync(ValueTask completing)
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

    private static async Task RefuseAsync(Socket socket, Protocol.Replies.SmtpReply reply)
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

    private static partial class Log
    {
        // Debug: a host announces where it listens in its own words (the CLI prints smtp://HOST:PORT), once.
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "SmtpMock bound to {EndPoint} as {Hostname}")]
        public static partial void Bound(ILogger logger, string endPoint, string hostname);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "failure addresses on: try 503@smtpmock.test, 552-data@smtpmock.test, greylist@smtpmock.test, delay-10s@smtpmock.test, disconnect@smtpmock.test (--no-simulator to turn off)")]
        public static partial void SimulatorOn(ILogger logger);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "SmtpMock stopped; {Captured} captured")]
        public static partial void Stopped(ILogger logger, string captured);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Accept failed")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "{Problem}; a certificate made in memory is used instead (a new one on every start)")]
        public static partial void CertificateNotKept(ILogger logger, string problem);

        [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "only {Limit} file descriptors (ulimit -n): SMTP serves {Capped} connections at once instead of --max-connections {Asked}, so HTTP keeps its share")]
        public static partial void ConnectionsCapped(ILogger logger, long limit, int capped, int asked);

        [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Session {Session} failed")]
        public static partial void SessionFailed(ILogger logger, Exception exception, long session);
    }
}
