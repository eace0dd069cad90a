using System.Text;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Cluster;
using StackExchange.Redis;

namespace SmtpMock.Redis;

/// <summary>
/// Events between instances over Redis pub/sub: a topic is the channel <c>NS:events:TOPIC</c>, and every message starts
/// with the publishing instance's id (one length byte, then its UTF-8), so an instance drops what it sent itself.
/// Publishing never waits (fire and forget); while Redis is down a message is dropped, as pub/sub would drop it for a
/// subscriber that is away. Messages arrive in the order they were published, one at a time. Made by
/// <see cref="RedisBackend.ConnectAsync"/>.
/// </summary>
public sealed partial class RedisEventBus : IEventBus
{
    private readonly ISubscriber _subscriber;
    private readonly OutageWatch _watch;
    private readonly ILogger _logger;
    private readonly string _channelPrefix;
    private readonly byte[] _sender;
    private readonly Func<ValueTask> _release;
    private ChannelMessageQueue? _queue;
    private long _dropped;

    internal RedisEventBus(ISubscriber subscriber, OutageWatch watch, ILogger logger, string prefix, string instanceId, string description, Func<ValueTask> release)
    {
        _subscriber = subscriber;
        _watch = watch;
        _logger = logger;
        _channelPrefix = prefix + "events:";
        _sender = Sender(instanceId);
        InstanceId = instanceId;
        Description = description;
        _release = release;
    }

    public string Description { get; }

    /// <summary>Always: every instance on this Redis hears what this one publishes.</summary>
    public bool ReachesOthers => true;

    /// <summary>This instance's id: what it stamps on what it publishes, and drops when it comes back.</summary>
    public string InstanceId { get; }

    /// <summary>Messages not sent because Redis was down.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public event Action<string, ReadOnlyMemory<byte>>? Received;

    public void Publish(string topic, ReadOnlyMemory<byte> payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var message = new byte[_sender.Length + payload.Length];
        _sender.CopyTo(message, 0);
        payload.Span.CopyTo(message.AsSpan(_sender.Length));
        var started = OutageWatch.Start();
        try
        {
            _subscriber.Publish(RedisChannel.Literal(_channelPrefix + topic), message, CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Interlocked.Increment(ref _dropped);
            _watch.Failed(started, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue is { } queue)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Down: the subscription goes with the connection.
            }
        }

        await _release().ConfigureAwait(false);
    }

    /// <summary>Subscribes to every topic of the namespace; messages are handed out one at a time, in order.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        _queue = await _subscriber.SubscribeAsync(RedisChannel.Pattern(_channelPrefix + "*")).WaitAsync(cancellationToken).ConfigureAwait(false);
        _queue.OnMessage(Deliver);
    }

    /// <summary>The id stamp: its length in one byte, then its UTF-8.</summary>
    private static byte[] Sender(string instanceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var id = Encoding.UTF8.GetBytes(instanceId);
        if (id.Length > byte.MaxValue)
        {
            throw new ArgumentException($"an instance id is at most {byte.MaxValue} bytes of UTF-8", nameof(instanceId));
        }

        return [(byte)id.Length, .. id];
    }

    private void Deliver(ChannelMessage message)
    {
        var bytes = (byte[]?)message.Message;
        var channel = message.Channel.ToString();
        if (bytes is null || bytes.Length == 0 || bytes.Length < 1 + bytes[0] || !channel.StartsWith(_channelPrefix, StringComparison.Ordinal))
        {
            return; // not one of ours (another program on the same channels)
        }

        var sender = bytes.AsSpan(0, 1 + bytes[0]);
        if (sender.SequenceEqual(_sender))
        {
            return;
        }

        try
        {
            Received?.Invoke(channel[_channelPrefix.Length..], bytes.AsMemory(sender.Length));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A handler's bug must not stop the events after it.
            Log.HandlerFailed(_logger, channel, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "A handler of events from other instances failed on {Channel}")]
        public static partial void HandlerFailed(ILogger logger, string channel, Exception error);
    }
}
