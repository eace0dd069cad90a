using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Api;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Events;

/// <summary>GET /api/v1/events: server-sent events, one JSON object per event, named by its type.</summary>
internal sealed class EventsApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api) => api.MapGet("/events", new RequestDelegate(StreamAsync)).WithMetadata(TokenInQuery.Instance);

    private async Task StreamAsync(HttpContext context)
    {
        if (state.Events.Subscribe(out var channel) is not { } reader)
        {
            await Http.Busy(context, $"{state.Options.MaxEventStreams} event streams are open (--max-event-streams): close one, or try again").ConfigureAwait(false);
            return;
        }

        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            var body = context.Response.BodyWriter;
            await body.WriteAsync(": connected\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
            await foreach (var frame in reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                // The same bytes go to every reader: the hub serialized the event once.
                await body.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The reader left.
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Dropped for falling behind: ending the stream tells the reader (EventSource reconnects).
        }
        finally
        {
            state.Events.Unsubscribe(channel);
        }
    }
}
