using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Api;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Events;

/// <summary>GET /api/v1/events: server-sent events, one JSON object per event, named by its type.</summary>
internal sealed class EventsApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api) => api.MapGet("/events", new RequestDelegate(StreamAsync));

    private async Task StreamAsync(HttpContext context)
    {
        var reader = state.Events.Subscribe(out var channel);
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            var body = context.Response.BodyWriter;
            await body.WriteAsync(": connected\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
            await foreach (var item in reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(item, ControlJson.Readable.ServerEvent);
                await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"event: {item.Type}\ndata: "), context.RequestAborted).ConfigureAwait(false);
                await body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
                await body.WriteAsync("\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
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
