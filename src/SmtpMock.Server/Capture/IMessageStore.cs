namespace SmtpMock.Server.Capture;

/// <summary>What changed in a store: a message captured, changed (read, tags), deleted, or all of them deleted.</summary>
public enum StoreChangeKind
{
    Added,
    Updated,
    Removed,
    Cleared,
}

/// <summary>One change, with the message (added, updated) or its id (removed); neither when everything was cleared.</summary>
public sealed record StoreChange(StoreChangeKind Kind, CapturedMessage? Message = null, string? Id = null);

/// <summary>A page of messages, newest first unless asked otherwise, with how many matched in all and where the next page starts.</summary>
public sealed record MessageResults(IReadOnlyList<CapturedMessage> Items, long Matched, string? NextCursor);

/// <summary>How many messages a store holds, and how many of them are unread.</summary>
public readonly record struct StoreCounts(long Total, long Unread);

/// <summary>A tag and how many messages carry it.</summary>
public sealed record TagCount(string Name, long Messages);

/// <summary>
/// Where captured mail lives: in memory (the default, bounded), in a folder (<c>--store DIR</c>), or in a database several
/// instances share. A session writes a message's content into the store's own writer while it arrives (the spool is the
/// store's business) and saves it with its envelope at the end: the message is acknowledged with 250 only once the
/// store has taken it. The HTTP API, the fixture and the console read through this and nothing else. Every call may
/// need I/O; in memory each completes at once.
/// </summary>
public interface IMessageStore : IAsyncDisposable
{
    /// <summary>Where the messages live, for the console and the API: <c>memory</c>, <c>folder /path</c>, <c>postgresql://host:port/db</c>.</summary>
    string Description { get; }

    /// <summary>Messages this process saved since it started, including those since evicted or deleted.</summary>
    long TotalCaptured { get; }

    /// <summary>A writer for one session's message content, reused for each message of the session.</summary>
    IMessageWriter CreateWriter();

    /// <summary>
    /// Keeps the message whose content is in <paramref name="content"/> (the writer is emptied). An
    /// <see cref="IOException"/> (a disk, a database) means it was not kept: the session answers 451.
    /// </summary>
    ValueTask<CapturedMessage> SaveAsync(MessageEnvelope envelope, IMessageWriter content, CancellationToken cancellationToken);

    /// <summary>The kept message with this id, or null.</summary>
    ValueTask<CapturedMessage?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The messages that match, one page of them, newest first (<see cref="MessageQuery.OldestFirst"/> for the other way).</summary>
    ValueTask<MessageResults> QueryAsync(MessageQuery query, CancellationToken cancellationToken);

    /// <summary>How many messages are kept, and how many of them are unread.</summary>
    ValueTask<StoreCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>Deletes one message; false when no kept message has this id.</summary>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes every message that matches (all of them for <see cref="MessageQuery.All"/>); returns how many.</summary>
    ValueTask<long> DeleteAsync(MessageQuery query, CancellationToken cancellationToken);

    /// <summary>Marks these messages read or unread (every message when <paramref name="ids"/> is null).</summary>
    ValueTask SetReadAsync(IReadOnlyCollection<string>? ids, bool read, CancellationToken cancellationToken);

    /// <summary>Gives these messages exactly these tags (an empty list removes them all).</summary>
    ValueTask SetTagsAsync(IReadOnlyCollection<string> ids, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Every tag in use, with how many messages carry it, sorted by name (any case).</summary>
    ValueTask<IReadOnlyList<TagCount>> TagsAsync(CancellationToken cancellationToken);

    /// <summary>Raised after each change, on the thread that made it (for a shared store, also for changes another instance made).</summary>
    event Action<StoreChange>? Changed;
}
