using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Proxy;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The PROXY protocol at the door (<see cref="ProxyProtocolOptions"/>): a peer outside the trusted networks is closed
/// at accept, and a trusted one must send a complete, valid header within <see cref="ProxyProtocolOptions.HeaderTimeout"/>,
/// before the greeting and before any TLS. Every refusal is one warning naming the peer and the reason; the client is
/// never greeted. What the header says becomes the session's client; what followed it in the same read is kept.
/// </summary>
internal sealed partial class ProxyGate(ProxyProtocolOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>True when <paramref name="peer"/> may send a header; otherwise the socket is closed and the refusal logged.</summary>
    public bool Admit(Socket socket, EndPoint? peer)
    {
        if (options.Trusts((peer as IPEndPoint)?.Address))
        {
            return true;
        }

        Log.Refused(logger, Describe(peer), $"not in the networks trusted to send a PROXY header ({string.Join(", ", options.From)})");
        socket.Dispose();
        return false;
    }

    /// <summary>
    /// Reads the header from <paramref name="stream"/> (the connection's own, which it leaves open): the real client
    /// and the stream to go on with, or null when the connection must close (logged, except on the server's stop).
    /// </summary>
    public async Task<ProxiedConnection?> ReadAsync(Stream stream, EndPoint? peer, CancellationToken stopping)
    {
        // Small reads: a header is one segment (at most 107 octets in v1; v2 with TLVs grows the buffer as it needs).
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 512, minimumReadSize: 128, leaveOpen: true));
        using var deadline = new CancellationTokenSource(options.HeaderTimeout, time);
        using var onStop = stopping.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline);
        string? reason = null;
        try
        {
            while (reason is null)
            {
                var read = await reader.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                switch (ProxyHeaderParser.Parse(buffer))
                {
                    case ProxyHeaderResult.Parsed header:
                        var rest = buffer.Slice(header.Consumed).ToArray();
                        reader.AdvanceTo(buffer.End);
                        return new ProxiedConnection(header.Source ?? peer, rest.Length == 0 ? stream : new PrefixedStream(rest, stream), Note(header, peer));
                    case ProxyHeaderResult.Invalid invalid:
                        reason = invalid.Reason;
                        break;
                    default:
                        reason = read.IsCompleted ? $"closed by the peer after {buffer.Length} octets, before a complete PROXY header" : null;
                        reader.AdvanceTo(buffer.Start, buffer.End);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            reason = $"no complete PROXY header within {options.HeaderTimeout.TotalSeconds:0.###} s";
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            reason = $"connection lost before a complete PROXY header: {e.Message}";
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        Log.Refused(logger, Describe(peer), reason);
        return null;
    }

    /// <summary>The transcript's note: who relayed the connection, and for whom.</summary>
    private static string Note(ProxyHeaderResult.Parsed header, EndPoint? peer) => header switch
    {
        { IsLocal: true } => $"PROXY v2 LOCAL from {Describe(peer)} (the balancer's own connection, a health check): the client is the balancer",
        { Source: { } source } => $"PROXY v{header.Version} from {Describe(peer)}: client {source}, connected to {header.Destination}",
        _ => $"PROXY v{header.Version} from {Describe(peer)} relays no client address: the client is the balancer",
    };

    private static string Describe(EndPoint? peer) => peer?.ToString() ?? "(unknown peer)";

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "PROXY protocol: closed {Peer} without a greeting: {Reason}")]
        public static partial void Refused(ILogger logger, string peer, string reason);
    }
}

/// <summary>A connection past its PROXY header: the client it relays, the stream to go on with, the note for the transcript.</summary>
internal sealed record ProxiedConnection(EndPoint? Client, Stream Stream, string Note);
