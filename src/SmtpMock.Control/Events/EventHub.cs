using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using SmtpMock.Control.Api;
using SmtpMock.Control.Hosting;
using SmtpMock.Control.Model;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Cluster;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Control.Events;

/// <summary>
/// Fans server events out to the events readers. Each event is serialized once, as its whole SSE frame, and the same
/// bytes go to every reader (1,000 readers each serializing cut SMTP from about 1,800 to under 220 messages a
/// second). Each reader has a bounded channel: one that falls behind by more than the buffer is dropped (its stream
/// ends, and /metrics counts it), so a slow reader never holds a session's task. At most
/// <see cref="ControlOptions.MaxEventStreams"/> read at once. With no reader a transcript line costs one array length check.
/// </summary>
internal sealed class EventHub : IDisposable, ISessionObserver
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
        server.Observers.Add(this);
        server.Messages.Changed += OnStoreChanged;
        server.Scenarios.Changed += OnScenario;
        _bus = server.Options.EventBus;
        _bus.Received += OnBus;
    }

    /// <summary>The topic other instances' session openings and closings travel on (as whole SSE frames).</summary>
    internal const string SessionsTopic = "sessions";

    private readonly IEventBus _bus;

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
        _server.Observers.Remove(this);
        _server.Messages.Changed -= OnStoreChanged;
        _server.Scenarios.Changed -= OnScenario;
        _bus.Received -= OnBus;
        foreach (var reader in _readers)
        {
            reader.Writer.TryComplete();
        }
    }

    /// <summary>Hands the event to every reader, serialized once; the event is made only when there is a reader (state, no closure).</summary>
    private void Publish<TState>(TState state, Func<TState, ServerEvent> make)
    {
        if (_readers.Length > 0)
        {
            Deliver(Frame(make(state)));
        }
    }

    /// <summary>
    /// A session opening or closing: to this instance's readers and, through the bus, to every other instance's (so
    /// with a bus to other instances they are serialized whether or not anyone reads here).
    /// </summary>
    private void PublishEverywhere(ServerEvent item)
    {
        var frame = Frame(item);
        _bus.Publish(SessionsTopic, frame);
        Deliver(frame);
    }

    private void OnBus(string topic, ReadOnlyMemory<byte> frame)
    {
        if (topic == SessionsTopic && frame.Length > 0)
        {
            Deliver(frame);
        }
    }

    private void Deliver(ReadOnlyMemory<byte> frame)
    {
        var readers = _readers;
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

    private string? Instance => _server.Options.InstanceId is { Length: > 0 } id ? id : null;

    // Every line of every session comes here: with no reader each must cost nothing (not even the closure a lambda
    // capturing the event would allocate on entry), hence the check before Publish.
    /// <summary>A lone process with nobody reading: a session's opening and closing are not even made (about 3% of a one-message session's CPU).</summary>
    private bool NobodyListens => _readers.Length == 0 && !_bus.ReachesOthers;

    void ISessionObserver.OnSessionStarted(in SessionStarted e)
    {
        if (NobodyListens)
        {
            return;
        }

        PublishEverywhere(new ServerEvent("session-opened", ApiTime.Utc(e.Session.StartedAt), e.Session.Id, Line: e.Session.ClientText, Instance: Instance));
    }

    void ISessionObserver.OnSessionEnded(in SessionEnded e)
    {
        if (NobodyListens)
        {
            return;
        }

        PublishEverywhere(new ServerEvent("session-closed", ApiTime.Utc(e.Session.EndedAt ?? e.At), e.Session.Id, Line: e.Session.EndReason, Instance: Instance));
    }

    void ISessionObserver.OnCommandReceived(in CommandReceived e)
    {
        if (_readers.Length > 0)
        {
            Publish(e, static e => new ServerEvent("line", ApiTime.Utc(e.At), e.Session.Id, "in", e.Shown));
        }
    }

    void ISessionObserver.OnReplySent(in ReplySent e)
    {
        if (_readers.Length == 0)
        {
            return;
        }

        if (e.Raw is { } raw)
        {
            Publish((e, raw), static r => new ServerEvent("line", ApiTime.Utc(r.e.At), r.e.Session.Id, "out", "(raw) " + r.raw, r.e.Rule));
            return;
        }

        var lines = e.Reply.WireLines;
        for (var i = 0; i < lines.Count; i++)
        {
            Publish((e, line: lines[i]), static r => new ServerEvent("line", ApiTime.Utc(r.e.At), r.e.Session.Id, "out", r.line, r.e.Rule));
        }
    }

    void ISessionObserver.OnNoteAdded(in NoteAdded e)
    {
        if (_readers.Length > 0)
        {
            Publish(e, static e => new ServerEvent("line", ApiTime.Utc(e.At), e.Session.Id, "note", e.Text));
        }
    }

    /// <summary>A message captured or changed; one deleted (its id), or all of them (no id).</summary>
    private void OnStoreChanged(StoreChange change)
    {
        switch (change)
        {
            case { Kind: StoreChangeKind.Added, Message: { } m }:
                Publish(m, static m => new ServerEvent("message-captured", ApiTime.Utc(m.ReceivedAt), m.SessionId, MessageId: m.Id));
                break;
            case { Kind: StoreChangeKind.Updated, Message: { } m }:
                Publish(m, static m => new ServerEvent("message-updated", DateTimeOffset.UtcNow, m.SessionId, MessageId: m.Id));
                break;
            case { Kind: StoreChangeKind.Removed or StoreChangeKind.Cleared }:
                Publish(change.Id, static id => new ServerEvent("messages-deleted", DateTimeOffset.UtcNow, MessageId: id));
                break;
        }
    }

    private void OnScenario(Scenario? s) => Publish(s, static s => new ServerEvent("scenario-changed", DateTimeOffset.UtcNow, Scenario: s?.Name));
}
