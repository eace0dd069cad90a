using System.Collections.Concurrent;
using System.Net;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The sessions open now: admission (the connection cap and the per-address cap, each with its own 421), who is open,
/// and when the last one has wholly finished (what a stop waits for).
/// </summary>
internal sealed class SessionRegistry(int maxSessions, int maxPerAddress)
{
    private readonly ConcurrentDictionary<long, SessionContext> _open = new();
    private readonly AddressCounter _perAddress = new(maxPerAddress);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;

    // Sessions whose connection is not wholly finished: Active falls before SessionEnded is raised, this only after
    // the transcript is kept, so a stop never returns with the last session missing from the finished ones.
    private int _unfinished;
    private volatile bool _stopping;

    /// <summary>Sessions admitted and not yet closed.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Open sessions, by id (a copy).</summary>
    public IReadOnlyCollection<SessionContext> Open => [.. _open.Values.OrderBy(s => s.Id)];

    public SessionContext? Find(long id) => _open.GetValueOrDefault(id);

    /// <summary>Admits a connection, or says with which 421 it is refused (nothing is counted then).</summary>
    public SmtpReply? Admit(IPAddress? address)
    {
        if (Interlocked.Increment(ref _active) > maxSessions)
        {
            Interlocked.Decrement(ref _active);
            return StandardReplies.TooManyConnections;
        }

        if (address is not null && !_perAddress.TryEnter(address))
        {
            Interlocked.Decrement(ref _active);
            return StandardReplies.TooManyFromAddress;
        }

        Interlocked.Increment(ref _unfinished);
        return null;
    }

    /// <summary>
    /// The per-address cap for a connection admitted without its address (<see cref="Admit"/> with null): behind a
    /// PROXY-protocol balancer the client is known only from the header. False (nothing counted) past the cap.
    /// </summary>
    public bool EnterAddress(IPAddress address) => _perAddress.TryEnter(address);

    /// <summary>An admitted connection that never became a session (its PROXY header was refused): no longer counted.</summary>
    public void Dropped()
    {
        Interlocked.Decrement(ref _active);
        Finished();
    }

    public void Opened(SessionContext session) => _open[session.Id] = session;

    /// <summary>The connection is closed: no longer open, no longer counted (before anyone is told it ended).</summary>
    public void Closed(long id, IPAddress? address)
    {
        _open.TryRemove(id, out _);
        if (address is not null)
        {
            _perAddress.Leave(address);
        }

        Interlocked.Decrement(ref _active);
    }

    /// <summary>Everything about the session is done (its transcript kept): a stop may now return.</summary>
    public void Finished()
    {
        if (Interlocked.Decrement(ref _unfinished) == 0 && _stopping)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Completes when every admitted session has finished (no new ones come: the listener is closed).</summary>
    public Task DrainedAsync()
    {
        _stopping = true;
        if (Volatile.Read(ref _unfinished) == 0)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }
}
