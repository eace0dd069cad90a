using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>The one accept loop: the plain port, the TLS port and every scenario port run it, and hand each socket to <see cref="Connections"/>.</summary>
public sealed partial class SmtpMockServer
{
    private async Task AcceptLoopAsync(Socket listener, bool implicitTls, ScenarioListener? scenarioPort = null)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE, ECONNABORTED and friends: one failed accept never ends the loop.
                Log.AcceptFailed(_logger, e);
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }

            long id;
            try
            {
                id = await _sessionIds.NextAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                return;
            }

            _connections.Take(id, socket, implicitTls, scenarioPort);
        }
    }

    private static partial class Log
    {
        // Debug: a host announces where it listens in its own words (the CLI prints smtp://HOST:PORT), once.
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "SmtpMock bound to {EndPoint} as {Hostname}")]
        public static partial void Bound(ILogger logger, string endPoint, string hostname);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "failure addresses on: try 503@smtpmock.test, 552-data@smtpmock.test, greylist@smtpmock.test, delay-10s@smtpmock.test, disconnect@smtpmock.test, hang@smtpmock.test, reset@smtpmock.test, slow-200bps@smtpmock.test, fragment@smtpmock.test; the same as MAIL FROM or AUTH user; EHLO 421.smtpmock.test or noauth.size1000.smtpmock.test (--no-simulator to turn off)")]
        public static partial void SimulatorOn(ILogger logger);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "SmtpMock stopped; {Captured} captured")]
        public static partial void Stopped(ILogger logger, string captured);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Accept failed")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "only {Limit} file descriptors (ulimit -n): SMTP serves {Capped} connections at once instead of --max-connections {Asked}, so HTTP keeps its share")]
        public static partial void ConnectionsCapped(ILogger logger, long limit, int capped, int asked);
    }
}
