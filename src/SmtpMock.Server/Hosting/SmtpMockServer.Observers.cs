using System.Collections.Concurrent;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>What the server tells observers (the control plane, metrics): sessions opening and every transcript line.</summary>
public sealed partial class SmtpMockServer
{
    private readonly ConcurrentDictionary<long, SessionContext> _open = new();
    private readonly TranscriptObserver _onLine;

    /// <summary>Raised when a session starts, before its greeting, on the session's task.</summary>
    public event Action<SessionContext>? SessionStarted;

    /// <summary>
    /// Raised for every line in and out of every session (and the server's notes), on the session's task: keep the
    /// handler short and never block in it. Nobody subscribed costs one null check per line.
    /// </summary>
    public event TranscriptObserver? LineAdded;

    /// <summary>The server's instruments (System.Diagnostics.Metrics), one meter per server.</summary>
    public ServerMetrics Metrics { get; }

    /// <summary>Sessions open now, by id.</summary>
    public IReadOnlyCollection<SessionContext> OpenSessions => [.. _open.Values.OrderBy(s => s.Id)];

    /// <summary>The open or kept session with this id, or null.</summary>
    public SessionContext? FindSession(long id) =>
        _open.TryGetValue(id, out var open) ? open : FinishedSessions.LastOrDefault(s => s.Id == id);

    private void Opened(SessionContext context)
    {
        _open[context.Id] = context;
        Metrics.SessionStarted();
        SessionStarted?.Invoke(context);
    }

    private void OnLine(long session, DateTimeOffset at, TranscriptDirection direction, string text, string? rule)
    {
        Metrics.Line(direction, text, rule);
        LineAdded?.Invoke(session, at, direction, text, rule);
    }
}
