using System.Buffers;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Api;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Events;

/// <summary>
/// GET /api/v1/events: server-sent events, one JSON object per event, named by its type. At most
/// <see cref="ControlOptions.MaxEventStreams"/> at once (one more is a 503 problem); a reader that falls behind by more
/// than its buffer is dropped, counted in /metrics, and its connection ends.
/// </summary>
/// <remarks>
/// The stream is written by <see cref="EventStream"/>, not <c>TypedResults.ServerSentEvents</c>: that result (its
/// <c>SseFormatter</c>) formats each event again for every reader and writes each one separately, where the hub
/// serializes an event once as its whole frame for all readers and a reader's waiting frames go out in one write of
/// up to 32 KB (with many readers under load, one write per event per reader is what fell behind); and it cannot send
/// the <c>: connected</c> comment that tells a client, before any event, that it is subscribed.
/// </remarks>
internal sealed class EventsApi(ControlState state)
{
    /// <summary>Octets of waiting events written before one flush.</summary>
    private const int MaxBatch = 32 * 1024;

    /// <summary>SO_SNDBUF of an events connection (Linux doubles it for its own bookkeeping).</summary>
    private const int SendBuffer = 32 * 1024;

    public void Map(IEndpointRouteBuilder api) => api.MapGet("/events", Stream).WithMetadata(TokenInQuery.Instance);

    private Results<EventStream, ProblemHttpResult> Stream(HttpResponse response) =>
        state.Events.Subscribe(out var channel, out var dropped) is { } reader
            ? new EventStream(state.Events, channel, reader, dropped)
            : Problems.Busy(response, $"{state.Options.MaxEventStreams} event streams are open (--max-event-streams): close one, or try again");

    /// <summary>One reader's stream, from its subscription in the hub until it leaves or is dropped.</summary>
    internal sealed class EventStream(EventHub hub, Channel<ReadOnlyMemory<byte>> channel, ChannelReader<ReadOnlyMemory<byte>> reader, CancellationToken dropped) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            try
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, dropped);
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers["X-Accel-Buffering"] = "no";
                LimitSendBuffer(context);
                var body = context.Response.BodyWriter;
                await body.WriteAsync(": connected\n\n"u8.ToArray(), stop.Token).ConfigureAwait(false);
                while (await reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
                {
                    // What is waiting goes out in one flush, up to a bound: under load a reader is handed events faster
                    // than one socket write each could keep up with. The hub serialized each event once for every reader.
                    for (var batched = 0; batched < MaxBatch && reader.TryRead(out var frame); batched += frame.Length)
                    {
                        body.Write(frame.Span);
                    }

                    await body.FlushAsync(stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (dropped.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            {
                // Dropped for falling behind: the client stopped reading, so what it has not read is not sent; the
                // connection ends now (EventSource reconnects) instead of holding its buffers until Kestrel's data rate check.
                context.Abort();
            }
            catch (OperationCanceledException)
            {
                // The reader left.
            }
            catch (ChannelClosedException)
            {
                // Dropped for falling behind: ending the stream tells the reader (EventSource reconnects).
            }
            finally
            {
                hub.Unsubscribe(channel);
            }
        }
    }

    /// <summary>
    /// A small kernel send buffer for this connection: the events a reader has not taken wait in its bounded buffer
    /// in the hub, where falling behind is noticed, instead of in megabytes of socket buffer that Linux would grow
    /// for it (about 3,000 events per reader that never reads, each one written to the socket at a cost).
    /// </summary>
    private static void LimitSendBuffer(HttpContext context)
    {
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            socket.SendBufferSize = SendBuffer;
        }
    }
}
