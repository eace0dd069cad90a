using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>One POST as the receiver got it: its number (1 for the first), headers and exact body bytes.</summary>
internal sealed record ReceivedRequest(int Number, string ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real webhook receiver: Kestrel on 127.0.0.1, port 0, answering every POST with what the test's
/// <c>answer</c> does (status, headers, or waiting). It keeps every request it got.
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _count;

    private Receiver(WebApplication app, Func<ReceivedRequest, HttpResponse, CancellationToken, Task> answer)
    {
        _app = app;
        app.MapPost("/hook", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(Interlocked.Increment(ref _count), context.Request.ContentType ?? string.Empty, headers, body.ToArray());
            _requests.Enqueue(request);
            await answer(request, context.Response, context.RequestAborted);
        });
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests.OrderBy(r => r.Number)];

    /// <summary>A receiver answering each request with <paramref name="answer"/>; it may wait on the token (aborted when the sender gives up or the receiver stops).</summary>
    public static async Task<Receiver> StartAsync(Func<ReceivedRequest, HttpResponse, CancellationToken, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var receiver = new Receiver(builder.Build(), answer);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    /// <summary>A receiver answering every request with <paramref name="status"/>.</summary>
    public static Task<Receiver> StartAsync(int status) => StartAsync((_, response, _) =>
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    });

    /// <summary>A receiver that never answers: each request waits until the sender gives up or the receiver stops. <c>Holding</c> completes with the first.</summary>
    public static async Task<(Receiver Receiver, Task Holding)> StartSilentAsync()
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = await StartAsync(async (_, _, aborted) =>
        {
            holding.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, aborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up, or the receiver is stopping.
            }
        });
        return (receiver, holding.Task);
    }

    public async ValueTask DisposeAsync()
    {
        // A handler still waiting (a receiver that never answers) is aborted by the stop.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(deadline.Token);
        await _app.DisposeAsync();
    }
}
