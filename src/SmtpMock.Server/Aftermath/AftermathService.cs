using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MimeKit;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Relay;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// Answers accepted messages after the fact: for each trigger recipient (<see cref="AftermathAddresses"/>) and each
/// scenario rule with <c>after:</c>, it waits the plan's delay on the server's clock, builds the bounce, auto-reply or
/// complaint, captures it like any other message (its <see cref="MessageOrigin"/> names the original), and, with a
/// <see cref="BounceTo"/> target, also delivers it there over SMTP. Everything runs off the session's task: a slow
/// store or a dead target never slows a session, and a failure is logged, never sent to a client. Pending work is
/// cancelled at stop without errors.
/// </summary>
internal sealed partial class AftermathService(IMessageStore store, AftermathHost host, bool triggers, RelayTarget? bounceTo, ILogger logger) : ISessionObserver
{
    private readonly AftermathBuilders _builders = new(host);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    /// <summary>Raised after a generated message was captured.</summary>
    public event Action<CapturedMessage>? Generated;

    /// <summary>Also delivers generated messages to this server (<c>--bounce-to</c>), or null.</summary>
    public RelayTarget? BounceTo => bounceTo;

    public void OnMessageAnswered(in MessageAnswered e)
    {
        if (e.Message is not { } message || _stopping.IsCancellationRequested)
        {
            return;
        }

        if (triggers)
        {
            foreach (var plan in AftermathAddresses.PlansFor(message))
            {
                Schedule(message, plan);
            }
        }

        if (e.After is { } after)
        {
            Schedule(message, after);
        }
    }

    /// <summary>Schedules one plan for a captured message (what a trigger or a rule does, and what tests call).</summary>
    public void Schedule(CapturedMessage original, AftermathPlan plan)
    {
        var task = RunAsync(original, plan, _stopping.Token);
        _pending.TryAdd(task, 0);
        _ = task.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Cancels what is still waiting and waits for what is running to finish.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pending.Keys).ConfigureAwait(false);
    }

    private async Task RunAsync(CapturedMessage original, AftermathPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            if (plan.Delay > TimeSpan.Zero)
            {
                await Task.Delay(plan.Delay, host.Time, cancellationToken).ConfigureAwait(false);
            }

            foreach (var result in _builders.Build(original, plan))
            {
                if (!result.Generated)
                {
                    Log.NotGenerated(logger, original.Id, plan.Source, result.Reason);
                    continue;
                }

                var captured = await CaptureAsync(result, cancellationToken).ConfigureAwait(false);
                Log.Captured(logger, AftermathKinds.Name(result.Kind), captured.Id, original.Id, plan.Source, result.Reason);
                Generated?.Invoke(captured);
                if (bounceTo is not null)
                {
                    await DeliverAsync(bounceTo, captured, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before it was due: nothing is sent, and that is not an error.
        }
        catch (Exception e)
        {
            Log.Failed(logger, plan.ToString(), original.Id, e);
        }
    }

    private async Task<CapturedMessage> CaptureAsync(AftermathResult result, CancellationToken cancellationToken)
    {
        var bytes = result.ToBytes();
        var now = host.Time.GetUtcNow();
        var envelope = new MessageEnvelope(MessageIds.Next(now), 0, now, "smtpmock", host.Hostname, result.Sender, [],
            [.. result.Recipients.Select(r => new Recipient(r, []))])
        {
            Origin = new MessageOrigin(AftermathKinds.Name(result.Kind), result.OriginalId),
        };
        using var writer = store.CreateWriter();
        writer.Write(bytes);
        return await store.SaveAsync(envelope, writer, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeliverAsync(RelayTarget target, CapturedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await RelayClient.SendAsync(target, new MailboxAddress(string.Empty, string.Empty),
                [.. message.Recipients.Select(r => new MailboxAddress(string.Empty, r.Address))], message, cancellationToken).ConfigureAwait(false);
            if (outcome.Accepted)
            {
                Log.Delivered(logger, message.Id, target.ToString());
            }
            else
            {
                Log.NotDelivered(logger, message.Id, target.ToString(), outcome.Hint ?? outcome.Lines.LastOrDefault() ?? "no reply");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.NotDelivered(logger, message.Id, target.ToString(), e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Generated {Kind} {Id} about message {Original} ({Source}): {Reason}")]
        public static partial void Captured(ILogger logger, string kind, string id, string original, string source, string reason);

        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Nothing generated about message {Original} ({Source}): {Reason}")]
        public static partial void NotGenerated(ILogger logger, string original, string source, string reason);

        [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Could not generate {Plan} about message {Original}")]
        public static partial void Failed(ILogger logger, string plan, string original, Exception exception);

        [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Delivered generated message {Id} to {Target}")]
        public static partial void Delivered(ILogger logger, string id, string target);

        [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Could not deliver generated message {Id} to {Target}: {Problem}")]
        public static partial void NotDelivered(ILogger logger, string id, string target, string problem);
    }
}
