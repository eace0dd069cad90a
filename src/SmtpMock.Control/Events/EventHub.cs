using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using SmtpMock.Control.Api;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Control.Events;

/// <summary>
/// Fans server events out to the events readers. Each event is serialized once, as its whole SSE frame, and the same
/// bytes go to every reader (1,000 readers each serializing cut SMTP from about 1,800 to under 220 messages a
/// second). Each reader has a bounded channel: one that falls behind by more than the buffer is dropped (its stream
/// ends, and /metrics counts it), so a slow reader never holds a session's task. At most
/// <see cref="ControlOptions.MaxEventStreams"/> read at once. With no reader a transcript line costs one array length check.
/// </summary>
internal sealed class EventHub : IDisposable
{
    private readonly SmtpMockServer _server;
    private readonly int _buffer;
    private readonly int _maxReaders;
    private readonly Lock _gate = new();
    private volatile Channel<ReadOnlyMemory<byte>>[] _readers = [];

    /// <summary>Each reader's drop signal (under <see cref="_gate"/>). Never disposed: no timer, no wait handle, and a stream may still hold its token.</summary>
    private readonly Dictionary<Channel<ReadOnlyMemory<byte>>, CancellationTokenSource> _drops = [];
    private long _dropped;

    public EventHub(SmtpMockServer server, int buffer, int maxReaders)
    {
        _server = server;
        _buffer = buffer;
        _maxReaders = maxReaders;
        server.Metrics.Meter.CreateObservableCounter("smtpmock.events.readers.dropped", () => Interlocked.Read(ref _dropped), "{reader}", "Event stream readers dropped for falling behind");
        server.Metrics.Meter.CreateObservableUpDownCounter("smtpmock.events.readers", () => _readers.Length, "{reader}", "Event stream readers now");
        server.SessionStarted += OnStarted;
        server.SessionEnded += OnEnded;
        server.LineAdded += OnLine;
        server.Messages.Captured += OnCaptured;
        server.Messages.Removed += OnRemoved;
        server.Scenarios.Changed += OnScenario;
    }

    /// <summary>A new reader's channel, or null when <see cref="ControlOptions.MaxEventStreams"/> read already; <see cref="Unsubscribe"/> it when the reader leaves.</summary>
    public ChannelReader<ReadOnlyMemory<byte>>? Subscribe(out Channel<ReadOnlyMemory<byte>> channel) => Subscribe(out channel, out _);

    /// <summary>
    /// The same, with a token cancelled when the reader is dropped for falling behind: what it still has buffered
    /// stays readable, but a stream writing to a client that stopped reading should stop at once instead.
    /// </summary>
    public ChannelReader<ReadOnlyMemory<byte>>? Subscribe(out Channel<ReadOnlyMemory<byte>> channel, out CancellationToken dropped)
    {
        channel = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(_buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var drop = new CancellationTokenSource();
        dropped = drop.Token;
        lock (_gate)
        {
            if (_readers.Length >= _maxReaders)
            {
                return null;
            }

            _readers = [.. _readers, channel];
            _drops[channel] = drop;
        }

        return channel.Reader;
    }

    public void Unsubscribe(Channel<ReadOnlyMemory<byte>> channel)
    {
        lock (_gate)
        {
            _readers = [.. _readers.Where(c => c != channel)];
            _drops.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    public void Dispose()
    {
        _server.SessionStarted -= OnStarted;
        _server.SessionEnded -= OnEnded;
        _server.LineAdded -= OnLine;
        _server.Messages.Captured -= OnCaptured;
        _server.Messages.Removed -= OnRemoved;
        _server.Scenarios.Changed -= OnScenario;
        foreach (var reader in _readers)
        {
            reader.Writer.TryComplete();
        }
    }

    /// <summary>Hands the event to every reader, serialized once; the event is made only when there is a reader (state, no closure).</summary>
    private void Publish<TState>(TState state, Func<TState, ServerEvent> make)
    {
        var readers = _readers;
        if (readers.Length == 0)
        {
            return;
        }

        var frame = Frame(make(state));
        foreach (var reader in readers)
        {
            if (!reader.Writer.TryWrite(frame))
            {
                // Full: this reader is too slow. Drop it rather than wait or lose events silently.
                reader.Writer.TryComplete(new ChannelClosedException("the events reader fell behind and was dropped"));
                Drop(reader);
                Unsubscribe(reader);
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    /// <summary>Signals the reader's stream (on a pool thread: this is a session's thread, which must not run the stream's abort).</summary>
    private void Drop(Channel<ReadOnlyMemory<byte>> reader)
    {
        CancellationTokenSource? drop;
        lock (_gate)
        {
            _drops.TryGetValue(reader, out drop);
        }

        if (drop is not null)
        {
            _ = drop.CancelAsync();
        }
    }

    /// <summary>One whole SSE frame: <c>event: TYPE</c>, <c>data: JSON</c> (one line: control characters are escaped), a blank line.</summary>
    internal static ReadOnlyMemory<byte> Frame(ServerEvent item)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(item, ControlJson.Readable.ServerEvent);
        var head = Encoding.UTF8.GetBytes($"event: {item.Type}\ndata: ");
        var frame = new byte[head.Length + json.Length + 2];
        head.CopyTo(frame, 0);
        json.CopyTo(frame, head.Length);
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }

    private void OnStarted(SessionContext s) => Publish(s, static s => new ServerEvent("session-opened", Http.Utc(s.StartedAt), s.Id, Line: s.ClientText));

    private void OnEnded(SessionContext s) => Publish(s, static s => new ServerEvent("session-closed", Http.Utc(s.EndedAt ?? DateTimeOffset.UtcNow), s.Id, Line: s.EndReason));

    private void OnLine(long session, DateTimeOffset at, TranscriptDirection direction, string text, string? rule)
    {
        // Every transcript line of every session comes here: with no reader it must cost nothing (not even the
        // closure a lambda capturing these parameters would allocate on entry).
        if (_readers.Length > 0)
        {
            PublishLine(session, at, direction, text, rule);
        }
    }

    private void PublishLine(long session, DateTimeOffset at, TranscriptDirection direction, string text, string? rule) =>
        Publish((session, at, direction, text, rule), static l => new ServerEvent("line", Http.Utc(l.at), l.session, SessionsApi.Direction(l.direction), l.text, l.rule));

    private void OnCaptured(CapturedMessage m) => Publish(m, static m => new ServerEvent("message-captured", Http.Utc(m.ReceivedAt), m.SessionId, MessageId: m.Id));

    /// <summary>One message deleted (its id), or all of them (no id).</summary>
    private void OnRemoved(string? id) => Publish(id, static id => new ServerEvent("messages-deleted", DateTimeOffset.UtcNow, MessageId: id));

    private void OnScenario(Scenario? s) => Publish(s, static s => new ServerEvent("scenario-changed", DateTimeOffset.UtcNow, Scenario: s?.Name));
}
