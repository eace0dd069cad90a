using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Api;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// <c>GET /api/v1/events</c>: MailHog's EventSource stream. Each message captured from now on is one SSE event whose
/// data is the message's JSON, indented two spaces, one <c>data:</c> line per line; every minute a
/// <c>keepalive:</c> line that fires no event. No old messages, no event names, as MailHog. A reader that falls more
/// than a buffer behind is dropped (its stream ends; EventSource reconnects), so it never holds a session.
/// </summary>
internal sealed class MailHogEventsApi(SmtpMockServer server, SemaphoreSlim streams, int buffer) : IDisposable
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromMinutes(1);
    private static readonly byte[] KeepAliveLine = "keepalive: \n\n"u8.ToArray();

    public void Map(IEndpointRouteBuilder app) => app.MapGet("/api/v1/events", new RequestDelegate(StreamAsync)).WithMetadata(Hosting.TokenInQuery.Instance);

    public void Dispose() => streams.Dispose();

    private async Task StreamAsync(HttpContext context)
    {
        if (!streams.Wait(0))
        {
            await Http.Busy(context, "every event stream this server allows is open (--max-event-streams): close one, or try again").ConfigureAwait(false);
            return;
        }

        var captured = Channel.CreateBounded<CapturedMessage>(new BoundedChannelOptions(buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        void OnChange(StoreChange change)
        {
            if (change is { Kind: StoreChangeKind.Added, Message: { } message } && !captured.Writer.TryWrite(message))
            {
                captured.Writer.TryComplete();
            }
        }

        server.Messages.Changed += OnChange;
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            // The headers now, as MailHog sends them: an EventSource is open before the first message.
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, captured.Reader).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The reader left.
        }
        finally
        {
            server.Messages.Changed -= OnChange;
            streams.Release();
        }
    }

    private async Task WriteAsync(HttpContext context, ChannelReader<CapturedMessage> reader)
    {
        using var timer = new PeriodicTimer(KeepAlive);
        var body = context.Response.Body;
        Task<bool>? tick = null;
        Task<bool>? waiting = null;
        while (true)
        {
            // Both kept across turns: a PeriodicTimer takes one wait at a time, and a keepalive must not lose a message.
            tick ??= timer.WaitForNextTickAsync(context.RequestAborted).AsTask();
            waiting ??= reader.WaitToReadAsync(context.RequestAborted).AsTask();
            if (await Task.WhenAny(waiting, tick).ConfigureAwait(false) == tick)
            {
                await tick.ConfigureAwait(false);
                tick = null;
                await body.WriteAsync(KeepAliveLine, context.RequestAborted).ConfigureAwait(false);
                await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                continue;
            }

            var more = await waiting.ConfigureAwait(false);
            waiting = null;
            if (!more)
            {
                return; // dropped for falling behind
            }

            while (reader.TryRead(out var message))
            {
                await body.WriteAsync(Frame(message), context.RequestAborted).ConfigureAwait(false);
            }

            await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>One SSE event: each line of the indented JSON after <c>data: </c>, then a blank line.</summary>
    private byte[] Frame(CapturedMessage message)
    {
        var json = JsonSerializer.Serialize(MailHogMessages.From(message, server.Options.Hostname), MailHogJson.Indented.MailHogMessage);
        var frame = new StringBuilder(json.Length + 256);
        foreach (var line in json.Split('\n'))
        {
            frame.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        return Encoding.UTF8.GetBytes(frame.Append('\n').ToString());
    }
}
