using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Webhooks;

/// <summary>
/// Sends server events to the <see cref="WebhookOptions.Targets"/>. <see cref="Publish"/> serializes the event once
/// and offers the bytes to each target's queue without waiting, so a session that publishes never slows down for a
/// receiver; each target's loop runs on its own. Disposal delivers what it can within
/// <see cref="WebhookOptions.DrainTimeout"/>, then cancels what is in flight and gives up the rest (logged).
/// </summary>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly WebhookTarget[] _targets;
    private readonly Task[] _loops;
    private readonly WebhookSender _sender;
    private readonly CancellationTokenSource _stopping;
    private readonly string? _instance;
    private readonly TimeSpan _drainTimeout;
    private int _disposed;

    /// <param name="options">Checked with <see cref="WebhookOptions.Validate"/>; an <see cref="ArgumentException"/> lists the problems.</param>
    /// <param name="logger">Drops, give-ups and (at Debug) each retry.</param>
    /// <param name="time">
    /// The clock for attempt timeouts, backoff waits and signature timestamps. The drain deadline is on the wall
    /// clock: disposal ends in time whatever clock the waits are on.
    /// </param>
    /// <param name="meter">When given, the <see cref="Counters"/> and the queued count are published on it (smtpmock.webhooks.*).</param>
    public WebhookDispatcher(WebhookOptions options, ILogger logger, TimeProvider? time = null, Meter? meter = null)
    {
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        time ??= TimeProvider.System;
        _instance = options.InstanceId;
        _drainTimeout = options.DrainTimeout;
        _stopping = new CancellationTokenSource();
        _sender = new WebhookSender(options, time);
        _targets = [.. options.Targets.Select(uri => new WebhookTarget(uri, options, _sender, Counters, logger, time))];
        if (meter is not null)
        {
            Counters.Publish(meter, () => Queued);
        }

        var stopping = _stopping.Token;
        _loops = [.. _targets.Select(target => Task.Run(() => target.RunAsync(stopping), CancellationToken.None))];
    }

    public WebhookCounters Counters { get; } = new();

    /// <summary>Events waiting in every target's queue now.</summary>
    public int Queued => _targets.Sum(t => t.Queued);

    /// <summary>Queues <paramref name="evt"/> for every target, or drops it where a queue is full. Never waits; ignored after disposal.</summary>
    public void Publish(WebhookEvent evt)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var stamped = _instance is null ? evt : evt with { Instance = _instance };
        var item = new QueuedEvent(evt.Id, evt.EventType, WebhookJson.Body(stamped));
        foreach (var target in _targets)
        {
            target.Offer(item);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var target in _targets)
        {
            target.Close();
        }

        _stopping.CancelAfter(_drainTimeout);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        finally
        {
            _sender.Dispose();
            _stopping.Dispose();
        }
    }
}
