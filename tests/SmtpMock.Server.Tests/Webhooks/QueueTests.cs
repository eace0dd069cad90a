using Microsoft.Extensions.Logging.Testing;
using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>
/// A slow or dead receiver never slows the publisher: each target's queue is bounded, a full queue drops (counted,
/// and logged once per burst with the number), and disposal drains what it can, then stops.
/// </summary>
public class QueueTests
{
    [Test]
    public async Task Publishing_10000_events_to_a_receiver_that_never_answers_never_waits_keeps_the_queue_bounded_and_logs_the_drops_once()
    {
        var (receiver, holding) = await Receiver.StartSilentAsync();
        await using var stopReceiver = receiver;
        var logger = new FakeLogger();
        var options = Samples.Options(receiver.Url) with
        {
            QueueCapacity = 100,
            Timeout = TimeSpan.FromMinutes(10),
            DrainTimeout = TimeSpan.FromMilliseconds(100),
        };
        var dispatcher = new WebhookDispatcher(options, logger);
        try
        {
            dispatcher.Publish(Samples.Captured());
            await holding.WaitAsync(Until.Deadline);

            // The delivery loop holds the first event: the next 100 fill the queue and the rest are dropped.
            await Task.Run(() =>
            {
                for (var i = 0; i < 10_000; i++)
                {
                    dispatcher.Publish(Samples.Captured());
                }
            }).WaitAsync(Until.Deadline);

            Assert.That(dispatcher.Queued, Is.EqualTo(100));
            Assert.That(dispatcher.Counters.Dropped, Is.EqualTo(9_900));
            Assert.That(DropCounts(logger), Is.Empty, "the burst is not over while the queue stays full");
        }
        finally
        {
            await dispatcher.DisposeAsync().AsTask().WaitAsync(Until.Deadline);
        }

        Assert.That(DropCounts(logger), Is.EqualTo(new[] { 9_900L }), "one line for the burst, with its number");
        var abandoned = logger.Collector.GetSnapshot().Single(r => r.Id.Id == 504);
        Assert.That(abandoned.Message, Does.EndWith(": 101 events not delivered: stopped before they could be"));
        Assert.That(dispatcher.Counters.GivenUp, Is.EqualTo(101));
        Assert.That(receiver.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_burst_of_drops_is_one_line_logged_when_the_queue_has_room_again()
    {
        var gate = new Gate();
        await using var receiver = await Receiver.StartAsync(async (_, response, aborted) =>
        {
            await gate.PassAsync(aborted);
            response.StatusCode = 200;
        });
        var logger = new FakeLogger();
        await using var dispatcher = new WebhookDispatcher(Samples.Options(receiver.Url) with { QueueCapacity = 10 }, logger);

        for (var burst = 1; burst <= 2; burst++)
        {
            gate.Close();
            dispatcher.Publish(Samples.Captured());
            await gate.Held.WaitAsync(Until.Deadline);
            for (var i = 0; i < 500; i++)
            {
                dispatcher.Publish(Samples.Captured());
            }

            Assert.That(dispatcher.Counters.Dropped, Is.EqualTo(490 * burst));
            Assert.That(DropCounts(logger), Has.Length.EqualTo(burst - 1), "not logged while the queue is full");
            gate.Open();
            await Until.TrueAsync(() => dispatcher.Counters.Delivered == 11 * burst, $"burst {burst}: the held event and the ten queued delivered");
            Assert.That(DropCounts(logger), Is.EqualTo(Enumerable.Repeat(490L, burst)));
        }
    }

    [Test]
    public async Task Disposal_delivers_every_queued_event_in_order_when_the_receiver_keeps_up()
    {
        await using var receiver = await Receiver.StartAsync(200);
        var dispatcher = new WebhookDispatcher(Samples.Options(receiver.Url), new FakeLogger());
        var events = Enumerable.Range(0, 50).Select(i => Samples.Captured($"message {i}")).ToList();
        foreach (var evt in events)
        {
            dispatcher.Publish(evt);
        }

        await dispatcher.DisposeAsync().AsTask().WaitAsync(Until.Deadline);
        dispatcher.Publish(Samples.Captured("after disposal"));

        Assert.That(dispatcher.Counters.Delivered, Is.EqualTo(50));
        Assert.That(receiver.Requests.Select(r => r.Header("X-SmtpMock-Event-Id")), Is.EqualTo(events.Select(e => e.Id)), "every event once, in order; nothing after disposal");
    }

    [Test]
    public async Task A_dead_target_does_not_hold_a_live_one_and_both_get_the_same_event_id()
    {
        var (dead, holding) = await Receiver.StartSilentAsync();
        await using var stopDead = dead;
        await using var live = await Receiver.StartAsync(200);
        var options = Samples.Options(dead.Url, live.Url) with { Timeout = TimeSpan.FromMinutes(10), DrainTimeout = TimeSpan.Zero };
        var dispatcher = new WebhookDispatcher(options, new FakeLogger());
        try
        {
            var events = Enumerable.Range(0, 20).Select(i => Samples.Captured($"message {i}")).ToList();
            foreach (var evt in events)
            {
                dispatcher.Publish(evt);
            }

            await holding.WaitAsync(Until.Deadline);
            await Until.TrueAsync(() => dispatcher.Counters.Delivered == 20, "the live target got every event");
            Assert.That(dead.Requests.Single().Header("X-SmtpMock-Event-Id"), Is.EqualTo(live.Requests[0].Header("X-SmtpMock-Event-Id")));
            Assert.That(dead.Requests.Single().Header("X-SmtpMock-Delivery"), Is.Not.EqualTo(live.Requests[0].Header("X-SmtpMock-Delivery")));
            Assert.That(dispatcher.Queued, Is.EqualTo(19), "the dead target's queue holds the rest");
        }
        finally
        {
            await dispatcher.DisposeAsync().AsTask().WaitAsync(Until.Deadline);
        }

        Assert.That(dispatcher.Counters.GivenUp, Is.EqualTo(20));
    }

    [Test]
    public async Task Disposal_ends_at_the_drain_deadline_even_while_a_retry_waits_on_a_clock_that_does_not_move()
    {
        await using var receiver = await Receiver.StartAsync(503);
        var logger = new FakeLogger();
        var options = Samples.Options(receiver.Url) with
        {
            Retry = new WebhookRetryPolicy { BaseDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1) },
            DrainTimeout = TimeSpan.FromMilliseconds(100),
        };
        var dispatcher = new WebhookDispatcher(options, logger, new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        dispatcher.Publish(Samples.Captured());
        dispatcher.Publish(Samples.Captured());
        await Until.TrueAsync(() => logger.Collector.GetSnapshot().Any(r => r.Id.Id == 501), "the first attempt failed and a retry waits");

        await dispatcher.DisposeAsync().AsTask().WaitAsync(Until.Deadline);

        Assert.That(dispatcher.Counters.GivenUp, Is.EqualTo(2), "the waiting event and the queued one");
        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Id.Id == 504).Message, Does.EndWith(": 2 events not delivered: stopped before they could be"));
    }

    private static long[] DropCounts(FakeLogger logger) =>
        [.. logger.Collector.GetSnapshot().Where(r => r.Id.Id == 500).Select(r => long.Parse(r.StructuredState!.Single(kv => kv.Key == "Count").Value!, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Holds every request while closed; <see cref="Held"/> completes when a request is being held.</summary>
    private sealed class Gate
    {
        private volatile TaskCompletionSource _open = Opened();
        private volatile TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Held => _held.Task;

        public void Close()
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Open() => _open.TrySetResult();

        public async Task PassAsync(CancellationToken aborted)
        {
            var open = _open;
            if (!open.Task.IsCompleted)
            {
                _held.TrySetResult();
            }

            await open.Task.WaitAsync(aborted);
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}
