namespace SmtpMock.Server.History;

/// <summary>Which finished sessions, newest first: at most <see cref="Limit"/>, optionally only those since a time or whose EHLO name contains a text.</summary>
public sealed record SessionQuery
{
    public static SessionQuery All { get; } = new();

    /// <summary>At most this many, or null for every kept one.</summary>
    public int? Limit { get; init; }

    /// <summary>Only sessions that started at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only sessions whose EHLO/HELO name contains this, any case.</summary>
    public string? HeloContains { get; init; }

    /// <summary>With each session's transcript lines (a list without them is cheaper to read from a database).</summary>
    public bool WithLines { get; init; }
}

/// <summary>
/// Where finished sessions are kept with their transcripts and delivery attempts: this process's memory (bounded, the
/// default) or a database several instances share (PostgreSQL), so any instance's API serves every instance's
/// sessions. Session ids come from here too, in blocks, so they never collide between instances that share it.
/// </summary>
public interface ISessionArchive : IAsyncDisposable
{
    /// <summary>Where the sessions live: <c>memory</c>, <c>postgresql://host:port/db</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Reserves <paramref name="count"/> consecutive session ids no other instance sharing this archive gets, and
    /// returns the first. In memory it counts from 1.
    /// </summary>
    ValueTask<long> ReserveIdsAsync(int count, CancellationToken cancellationToken);

    /// <summary>Keeps a finished session. An <see cref="IOException"/> means it was not kept (the session is over either way).</summary>
    ValueTask SaveAsync(SessionRecord session, CancellationToken cancellationToken);

    /// <summary>The kept session with this id, with its lines, or null.</summary>
    ValueTask<SessionRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The kept sessions that match, newest first.</summary>
    ValueTask<IReadOnlyList<SessionRecord>> ListAsync(SessionQuery query, CancellationToken cancellationToken);

    /// <summary>Forgets every kept session.</summary>
    ValueTask ClearAsync(CancellationToken cancellationToken);

    /// <summary>Raised after a session is kept (for a shared archive, also one another instance kept), without its lines.</summary>
    event Action<SessionRecord>? Saved;
}
