namespace SmtpMock.Server.Session.Events;

/// <summary>
/// The observers one session tells: its own transcript first, then the server's (metrics, history, the control plane).
/// An immutable array read once per event: adding an observer makes a new one, so a session never sees a half-changed list.
/// </summary>
internal sealed class SessionObservers
{
    private ISessionObserver[] _observers = [];
    private readonly Lock _gate = new();

    /// <summary>The observers now (a session takes them once, at its start).</summary>
    public IReadOnlyList<ISessionObserver> Current => Volatile.Read(ref _observers);

    public void Add(ISessionObserver observer)
    {
        lock (_gate)
        {
            _observers = [.. _observers, observer];
        }
    }

    public void Remove(ISessionObserver observer)
    {
        lock (_gate)
        {
            _observers = [.. _observers.Where(o => !ReferenceEquals(o, observer))];
        }
    }

    internal ISessionObserver[] Snapshot() => Volatile.Read(ref _observers);
}
