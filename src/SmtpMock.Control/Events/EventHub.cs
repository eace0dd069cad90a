using System.Threading.Channels;
using SmtpMock.Control.Api;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Control.Events;

/// <summary>
/// Fans server events out to the events readers. Each reader has a bounded channel: one that falls behind by more
/// than the buffer is dropped (its stream ends), so a slow reader never holds a session's task. With no reader a
/// transcript line costs one array length check.
/// </summary>
internal sealed class EventHub : IDisposable
{
    private readonly SmtpMockServer _server;
    private readonly int _buffer;
    private readonly Lock _gate = new();
    private volatile Channel<ServerEvent>[] _readers = [];

    public EventHub(SmtpMockServer server, int buffer)
    {
        _server = server;
        _buffer = buffer;
        server.SessionStarted += OnStarted;
        server.SessionEnded += OnEnded;
        server.LineAdded += OnLine;
        server.Messages.Captured += OnCaptured;
        server.Messages.Removed += OnRemoved;
        server.Scenarios.Changed += OnScenario;
    }

    /// <summary>A new reader's channel; <see cref="Unsubscribe"/> it when the reader leaves.</summary>
    public ChannelReader<ServerEvent> Subscribe(out Channel<ServerEvent> channel)
    {
        channel = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(_buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (_gate)
        {
            _readers = [.. _readers, channel];
        }

        return channel.Reader;
    }

    public void Unsubscribe(Channel<ServerEvent> channel)
    {
        lock (_gate)
        {
            _readers = [.. _readers.Where(c => c != channel)];
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

    /// <summary>Hands the event to every reader; the event is made only when there is one (state, no closure).</summary>
    private void Publish<TState>(TState state, Func<TState, ServerEvent> make)
    {
        var readers = _readers;
        if (readers.Length == 0)
        {
            return;
        }

        var item = make(state);
        foreach (var reader in readers)
        {
            if (!reader.Writer.TryWrite(item))
            {
                // Full: this reader is too slow. Drop it rather than wait or lose events silently.
                reader.Writer.TryComplete(new ChannelClosedException("the events reader fell behind and was dropped"));
                Unsubscribe(reader);
            }
        }
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
