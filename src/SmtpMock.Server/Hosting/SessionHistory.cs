using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// Finished sessions with their transcripts, kept within a count and a total line budget (the oldest go first), and
/// a way to wait for one to end.
/// </summary>
internal sealed class SessionHistory(int maxSessions, int maxLines)
{
    private readonly Queue<SessionContext> _finished = new();
    private readonly Lock _gate = new();
    private long _lines;

    /// <summary>Raised when a session has ended and is kept.</summary>
    public event Action<SessionContext>? Ended;

    /// <summary>The kept sessions, oldest first.</summary>
    public IReadOnlyList<SessionContext> Finished
    {
        get
        {
            lock (_gate)
            {
                return [.. _finished];
            }
        }
    }

    /// <summary>The kept session with this id, or null.</summary>
    public SessionContext? Find(long id)
    {
        lock (_gate)
        {
            return _finished.LastOrDefault(s => s.Id == id);
        }
    }

    /// <summary>Keeps a finished session, then (unless <paramref name="announce"/> is false: <see cref="Announce"/> later) tells whoever waits.</summary>
    public void Add(SessionContext context, bool announce = true)
    {
        if (maxSessions > 0)
        {
            lock (_gate)
            {
                _finished.Enqueue(context);
                _lines += context.Transcript.Count;
                while (_finished.Count > 1 && (_finished.Count > maxSessions || _lines > maxLines))
                {
                    _lines -= _finished.Dequeue().Transcript.Count;
                }
            }
        }

        if (announce)
        {
            Ended?.Invoke(context);
        }
    }

    /// <summary>Tells whoever waits that a kept session ended.</summary>
    public void Announce(SessionContext context) => Ended?.Invoke(context);

    /// <summary>Forgets every kept session.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _finished.Clear();
            _lines = 0;
        }
    }

    /// <summary>Completes when the session with this id has ended; cancel it to put a deadline on the wait.</summary>
    public async Task<SessionContext> WaitForEndAsync(long id, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<SessionContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEnded(SessionContext context)
        {
            if (context.Id == id)
            {
                done.TrySetResult(context);
            }
        }

        Ended += OnEnded;
        try
        {
            var finished = Finished.FirstOrDefault(s => s.Id == id);
            return finished ?? await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Ended -= OnEnded;
        }
    }
}
