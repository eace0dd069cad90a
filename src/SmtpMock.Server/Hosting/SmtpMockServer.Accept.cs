using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>The one accept loop (the plain port and the TLS port both run it) and one connection's life, start to end.</summary>
public sealed partial class SmtpMockServer
{
    /// <summary>How long the close_notify of a TLS session may take to go out before the socket closes anyway.</summary>
    private static readonly TimeSpan TlsCloseTimeout = TimeSpan.FromSeconds(1);

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

            var peer = RemoteEndPoint(socket);
            if (_proxy is not null && !_proxy.Admit(socket, peer))
            {
                continue;
            }

            // Behind a PROXY balancer every connection comes from the balancer: the per-address cap waits for the header.
            if (_registry.Admit(_proxy is null ? (peer as IPEndPoint)?.Address : null) is { } refusal)
            {
                _ = RefuseAsync(socket, refusal);
                continue;
            }

            _ = _proxy is null
                ? RunSessionAsync(id, socket, new NetworkStream(socket, ownsSocket: true), implicitTls, peer, note: null, scenarioPort)
                : RunProxiedAsync(id, socket, implicitTls, peer, scenarioPort);
        }
    }

    /// <summary>A connection that must start with a PROXY header: read it, then count its real client against the per-address cap.</summary>
    private async Task RunProxiedAsync(long id, Socket socket, bool implicitTls, EndPoint? peer, ScenarioListener? scenarioPort)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        var proxied = await _proxy!.ReadAsync(stream, peer, _stopping.Token).ConfigureAwait(false);
        var address = (proxied?.Client as IPEndPoint)?.Address;
        if (proxied is null || (address is not null && !_registry.EnterAddress(address)))
        {
            _registry.Dropped();
            if (proxied is not null)
            {
                await RefuseAsync(socket, StandardReplies.TooManyFromAddress).ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await RunSessionAsync(id, socket, proxied.Stream, implicitTls, proxied.Client, proxied.Note, scenarioPort).ConfigureAwait(false);
    }

    /// <summary>
    /// One connection, start to end. What stays per open connection is counted (docs/performance.md: idle
    /// connections): shutdown waits on the open-session count, not on a task kept for each session.
    /// </summary>
    private async Task RunSessionAsync(long id, Socket socket, Stream stream, bool implicitTls, EndPoint? client, string? note, ScenarioListener? scenarioPort)
    {
        var address = (client as IPEndPoint)?.Address;
        var tls = TlsFor(stream);
        var input = PipeReader.Create(stream, PipeShape.Reader);
        var output = PipeWriter.Create(stream, PipeShape.Writer);
        var (session, events) = SessionFactory.Create(_options, RulesFor(scenarioPort, socket), Messages, id, client, _sessionLogger, Observers.Snapshot(), tls: implicitTls ? null : tls, sessionOptions: _sessionOptions);
        _registry.Opened(session.Context);
        events.Started();
        if (note is not null)
        {
            events.Note(note);
        }
        try
        {
            socket.NoDelay = true;
            if (!implicitTls)
            {
                await session.RunAsync(input, output, _stopping.Token).ConfigureAwait(false);
            }
            else if (await HandshakeOnConnectAsync(session, tls!).ConfigureAwait(false))
            {
                await session.RunAsync(tls!.Input!, tls.Output!, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped during a handshake on the TLS port: there is no session to say 421 to yet.
        }
        catch (Exception e)
        {
            // A bug must cost one session, never the server.
            Log.SessionFailed(_logger, e, id);
        }
        finally
        {
            // TLS ends with the server's close_notify (RFC 8446 §6.1), bounded so a client that never reads cannot
            // hold it. Then the socket goes: completing the writer flushes what is left, and a client that never reads
            // would hold that flush (and the session) forever. Every reply that mattered was flushed already.
            if (session.Context.ResetOnClose)
            {
                Reset(socket);
            }
            else
            {
                await CloseOrderlyAsync(socket, tls).ConfigureAwait(false);
            }

            await CompleteQuietlyAsync(input.CompleteAsync()).ConfigureAwait(false);
            await CompleteQuietlyAsync(output.CompleteAsync()).ConfigureAwait(false);
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            // Ended before anyone is told: a SessionEnded observer sees it neither open nor counted active.
            _registry.Closed(id, address);
            // Kept here at once (never neither open nor kept), announced once the archive has it too.
            _history.Add(session.Context, announce: false);
            await ArchiveAsync(session.Context).ConfigureAwait(false);
            _history.Announce(session.Context);
            events.Ended();
            _registry.Finished();
        }
    }

    /// <summary>TLS's close_notify (bounded), FIN, then the socket goes.</summary>
    private static async ValueTask CloseOrderlyAsync(Socket socket, Security.SessionTls? tls)
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
    private static void Reset(Socket socket)
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

    private static async Task RefuseAsync(Socket socket, SmtpReply reply)
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

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "failure addresses on: try 503@smtpmock.test, 552-data@smtpmock.test, greylist@smtpmock.test, delay-10s@smtpmock.test, disconnect@smtpmock.test, hang@smtpmock.test, reset@smtpmock.test, slow-200bps@smtpmock.test, fragment@smtpmock.test; the same as MAIL FROM or AUTH user; EHLO 421.smtpmock.test or noauth.size1000.smtpmock.test (--no-simulator to turn off)")]
        public static partial void SimulatorOn(ILogger logger);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "SmtpMock stopped; {Captured} captured")]
        public static partial void Stopped(ILogger logger, string captured);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Accept failed")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Session {Session} failed")]
        public static partial void SessionFailed(ILogger logger, Exception exception, long session);

        [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "{Problem}; a certificate made in memory is used instead (a new one on every start)")]
        public static partial void CertificateNotKept(ILogger logger, string problem);

        [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "only {Limit} file descriptors (ulimit -n): SMTP serves {Capped} connections at once instead of --max-connections {Asked}, so HTTP keeps its share")]
        public static partial void ConnectionsCapped(ILogger logger, long limit, int capped, int asked);
    }
}
