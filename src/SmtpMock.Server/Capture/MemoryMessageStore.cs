using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Capture;

/// <summary>
/// The captured messages in memory, newest last, bounded by count and by bytes so a long run cannot exhaust memory;
/// with a <see cref="MessageDirectory"/> (<c>--store DIR</c>) each message is also written there before it is
/// acknowledged, so a 250 means it is on disk, and a restart loads the newest of them again. Every operation completes
/// at once. Thread-safe: sessions save while tests and the API read.
/// </summary>
public sealed partial class MemoryMessageStore : IMessageStore
{
    private readonly RetainedMessages _retained;

    public MemoryMessageStore(int maxMessages = 1000, long maxBytes = 512L * 1024 * 1024, MessageDirectory? directory = null)
    {
        _retained = new RetainedMessages(maxMessages, maxBytes);
        Directory = directory;
    }

    /// <summary>
    /// A store, with <paramref name="directory"/> also on disk: the folder is created and checked writable (an
    /// <see cref="IOException"/> saying why when it is not) and the newest messages already in it are loaded and
    /// announced in the log, so a restart serves what the last run captured. The folder is readable by other local
    /// users only when <paramref name="shared"/>.
    /// </summary>
    public static MemoryMessageStore Open(string? directory, int maxMessages, long maxBytes, ILogger logger, bool shared = false)
    {
        var folder = directory is null ? null : new MessageDirectory(directory, shared);
        var store = new MemoryMessageStore(maxMessages, maxBytes, folder);
        if (folder is not null)
        {
            var skipped = new List<string>();
            var kept = folder.Load(skipped).TakeLast(maxMessages).ToList();
            if (skipped.Count > 0)
            {
                // An .eml copied in by hand is the usual case: say why it is not listed instead of ignoring it.
                Log.Skipped(logger, skipped.Count == 1 ? "1 .eml" : $"{skipped.Count} .eml files", folder.Path, string.Join(", ", skipped.Order(StringComparer.Ordinal).Take(3)) + (skipped.Count > 3 ? ", ..." : string.Empty));
            }

            foreach (var message in kept)
            {
                store._retained.Add(message);
            }

            if (kept.Count > 0)
            {
                Log.Loaded(logger, kept.Count == 1 ? "1 message" : $"{kept.Count} messages", folder.Path);
            }
        }

        return store;
    }

    /// <summary>Where messages are also written, if anywhere.</summary>
    public MessageDirectory? Directory { get; }

    public string Description => Directory is null ? "memory" : $"folder {Directory.Path}";

    public long TotalCaptured => _retained.Total;

    public event Action<StoreChange>? Changed;

    /// <summary>A snapshot of the kept messages, oldest first.</summary>
    public IReadOnlyList<CapturedMessage> Messages => _retained.OldestFirst();

    public int Count => _retained.Count;

    public CapturedMessage? Find(string id) => _retained.Find(id);

    /// <summary>Content stays in pooled memory; with a folder, a large message spills to a file in the folder's temporary space.</summary>
    public IMessageWriter CreateWriter() => new MessageContent(Directory?.TempPath);

    public ValueTask<CapturedMessage> SaveAsync(MessageEnvelope envelope, IMessageWriter content, CancellationToken cancellationToken)
    {
        var spool = (MessageContent)content;
        string? spooled = null;
        try
        {
            if (spool.Failed)
            {
                throw new IOException("the spool file could not be written");
            }

            var (bytes, file, _) = spool.Take();
            spooled = file;
            var message = envelope.ToMessage(bytes, file);
            Add(message);
            return ValueTask.FromResult(message);
        }
        catch (UnauthorizedAccessException e)
        {
            Discard(spooled);
            throw new IOException(e.Message, e);
        }
        catch (IOException)
        {
            Discard(spooled);
            throw;
        }
    }

    /// <summary>Keeps a message: on disk first when there is a folder (an <see cref="IOException"/> means it was not kept).</summary>
    public void Add(CapturedMessage message)
    {
        Directory?.Write(message);
        _retained.Add(message);
        Changed?.Invoke(new StoreChange(StoreChangeKind.Added, message));
    }

    public ValueTask<CapturedMessage?> GetAsync(string id, CancellationToken cancellationToken) => ValueTask.FromResult(Find(id));

    public ValueTask<MessageResults> QueryAsync(MessageQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(QueryMatcher.Page(query, _retained.NewestFirst()));

    public ValueTask<StoreCounts> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_retained.Counts());

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (_retained.Remove(id) is null)
        {
            return ValueTask.FromResult(false);
        }

        Directory?.Delete(id);
        Changed?.Invoke(new StoreChange(StoreChangeKind.Removed, Id: id));
        return ValueTask.FromResult(true);
    }

    /// <summary>Deletes every message (and its files, with a folder).</summary>
    public void Clear() => Delete(MessageQuery.All);

    public ValueTask<long> DeleteAsync(MessageQuery query, CancellationToken cancellationToken) => ValueTask.FromResult(Delete(query));

    private long Delete(MessageQuery query)
    {
        var all = query.Terms.Count == 0;
        var removed = all ? _retained.RemoveAll() : _retained.RemoveWhere(m => QueryMatcher.Matches(query, m));

        foreach (var message in removed)
        {
            Directory?.Delete(message.Id);
            if (!all)
            {
                Changed?.Invoke(new StoreChange(StoreChangeKind.Removed, Id: message.Id));
            }
        }

        if (all)
        {
            Changed?.Invoke(new StoreChange(StoreChangeKind.Cleared));
        }

        return removed.Count;
    }

    public ValueTask SetReadAsync(IReadOnlyCollection<string>? ids, bool read, CancellationToken cancellationToken)
    {
        foreach (var message in _retained.Select(ids))
        {
            if (message.MarkRead(read))
            {
                Directory?.Update(message);
                Changed?.Invoke(new StoreChange(StoreChangeKind.Updated, message));
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask SetTagsAsync(IReadOnlyCollection<string> ids, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var clean = MessageTags.Clean(tags);
        foreach (var message in _retained.Select(ids))
        {
            message.SetTags(clean);
            Directory?.Update(message);
            Changed?.Invoke(new StoreChange(StoreChangeKind.Updated, message));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<TagCount>> TagsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<TagCount> counts = [.. Messages
            .SelectMany(m => m.Tags)
            .GroupBy(t => t, StringComparer.OrdinalIgnoreCase)
            .Select(g => new TagCount(g.First(), g.LongCount()))
            .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
        return ValueTask.FromResult(counts);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Discard(string? spooled)
    {
        if (spooled is not null && File.Exists(spooled))
        {
            File.Delete(spooled);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "loaded {Messages} from {Directory}")]
        public static partial void Loaded(ILogger logger, string messages, string directory);

        [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "left {Files} in {Directory} unloaded ({Names}): each message needs the <id>.json envelope this server writes beside its .eml")]
        public static partial void Skipped(ILogger logger, string files, string directory, string names);
    }
}
