using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Webhooks;

/// <summary>
/// One receiver: a bounded queue and the loop that delivers from it, one event at a time and in order, each tried
/// until accepted, refused, or out of attempts. Offering never waits: a full queue drops the event (counted, and
/// logged once per burst by <see cref="DropBurst"/>), so a dead receiver holds at most the queue's bound in memory.
/// </summary>
internal sealed class WebhookTarget
{
    private readonly Uri _uri;
    private readonly Channel<QueuedEvent> _queue;
    private readonly int _capacity;
    private readonly DropBurst _drops;
    private readonly WebhookSender _sender;
    private readonly WebhookRetryPolicy _retry;
    private readonly WebhookCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile bool _closed;

    public WebhookTarget(Uri uri, WebhookOptions options, WebhookSender sender, WebhookCounters counters, ILogger logger, TimeProvider time)
    {
        _uri = uri;
        _capacity = options.QueueCapacity;
        _queue = Channel.CreateBounded<QueuedEvent>(new BoundedChannelOptions(_capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of dropping silently
            SingleReader = true,
        });
        _drops = new DropBurst(time);
        _sender = sender;
        _retry = options.Retry;
        _counters = counters;
        _logger = logger;
        _time = time;
        Name = WebhookTargetName.Of(uri);
    }

    public string Name { get; }

    public int Queued => _queue.Reader.Count;

    /// <summary>Queues <paramref name="item"/>, or drops it when the queue is full. Never waits.</summary>
    public void Offer(QueuedEvent item)
    {
        if (_queue.Writer.TryWrite(item) || _closed)
        {
            return;
        }

        _counters.AddDropped();
        if (_drops.Add() is var count and > 0)
        {
            WebhookLog.Dropped(_logger, Name, _capacity, count);
        }
    }

    /// <summary>No more events: the loop delivers what is queued, then ends.</summary>
    public void Close()
    {
        _closed = true;
        _queue.Writer.TryComplete();
    }

    /// <summary>Delivers until <see cref="Close"/> and an empty queue, or until <paramref name="stopping"/>; the events still held then are given up.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        var holding = false;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    holding = true;
                    ReportDrops();
                    await DeliverAsync(item, stopping).ConfigureAwait(false);
                    holding = false;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            var left = holding ? 1L : 0L;
            while (reader.TryRead(out _))
            {
                left++;
            }

            if (left > 0)
            {
                _counters.AddGivenUp(left);
                WebhookLog.Abandoned(_logger, Name, left);
            }
        }

        ReportDrops();
    }

    private async Task DeliverAsync(QueuedEvent item, CancellationToken stopping)
    {
        var delivery = "dlv_" + MessageIds.Next(_time.GetUtcNow());
        for (var attempt = 1; ; attempt++)
        {
            var result = await _sender.SendAsync(_uri, item, delivery, attempt, stopping).ConfigureAwait(false);
            if (result.Result == AttemptResult.Delivered)
            {
                _counters.AddDelivered();
                return;
            }

            _counters.AddFailedAttempt();
            if (result.Result == AttemptResult.Refused || attempt >= _retry.MaxAttempts)
            {
                _counters.AddGivenUp(1);
                if (result.Result == AttemptResult.Refused)
                {
                    WebhookLog.Refused(_logger, Name, item.Type, item.Id, result.Reason);
                }
                else
                {
                    WebhookLog.GaveUp(_logger, Name, item.Type, item.Id, attempt, result.Reason);
                }

                return;
            }

            var delay = Backoff.Delay(_retry, attempt, result.RetryAfter, Random.Shared.NextDouble());
            WebhookLog.Retrying(_logger, Name, item.Type, item.Id, attempt, result.Reason, delay);
            await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>The queue has room again (an event was just taken): the burst of drops, if any, is over.</summary>
    private void ReportDrops()
    {
        if (_drops.End() is var count and > 0)
        {
            WebhookLog.Dropped(_logger, Name, _capacity, count);
        }
    }
}
