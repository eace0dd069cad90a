using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Capture;

/// <summary>
/// The captured messages, newest last, bounded by count and by bytes so a long run cannot exhaust memory.
/// With a directory, each message is written there before it is acknowledged, so a 250 means it is on disk.
/// Thread-safe: sessions add while tests read and wait.
/// </summary>
public sealed partial class MessageStore
{
    private readonly Lock _gate = new();
    private readonly LinkedList<CapturedMessage> _messages = new();
    private readonly List<(Func<CapturedMessage, bool> Match, TaskCompletionSource<CapturedMessage> Done)> _waiters = [];
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private long _bytes;
    private long _total;

    public MessageStore(int maxMessages = 1000, long maxBytes = 512L * 1024 * 1024, MessageDirectory? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _maxMessages = maxMessages;
        _maxBytes = maxBytes;
        Directory = directory;
    }

    /// <summary>
    /// A store, with <paramref name="directory"/> also on disk: the folder is created and checked writable (an
    /// <see cref="IOException"/> saying why when it is not) and the newest messages already in it are loaded and
    /// announced in the log, so a restart serves what the last run captured.
    /// </summary>
    public static MessageStore Open(string? directory, int maxMessages, long maxBytes, ILogger logger) => Open(directory, maxMessages, maxBytes, logger, shared: false);

    /// <summary>As <see cref="Open(string?, int, long, ILogger)"/>, the folder readable by other local users when <paramref name="shared"/>.</summary>
    public static MessageStore Open(string? directory, int maxMessages, long maxBytes, ILogger logger, bool shared)
    {
        var folder = directory is null ? null : new MessageDirectory(directory, shared);
        var store = new MessageStore(maxMessages, maxBytes, folder);
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
                store.Add(message, persist: false);
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

    /// <summary>Raised after a message is stored (on the session's thread).</summary>
    public event Action<CapturedMessage>? Captured;

    /// <summary>
    /// Raised after <see cref="Remove"/> forgot a message (its id) or <see cref="Clear"/> forgot them all (null), so
    /// every open view can follow a deletion made elsewhere. Eviction past the limits raises nothing.
    /// </summary>
    public event Action<string?>? Removed;

    /// <summary>How many messages were ever accepted, including those since evicted.</summary>
    public long TotalCaptured => Interlocked.Read(ref _total);

    /// <summary>A snapshot of the kept messages, oldest first.</summary>
    public IReadOnlyList<CapturedMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    public CapturedMessage? Find(string id)
    {
        lock (_gate)
        {
            return _messages.FirstOrDefault(m => m.Id == id);
        }
    }

    /// <summary>Keeps a message: on disk first when there is a directory (an IOException means it was not kept).</summary>
    public void Add(CapturedMessage message) => Add(message, persist: true);

    /// <summary>Keeps a message; <paramref name="persist"/> false for one loaded from the directory at start.</summary>
    internal void Add(CapturedMessage message, bool persist)
    {
        if (persist)
        {
            Directory?.Write(message);
        }

        List<TaskCompletionSource<CapturedMessage>>? done = null;
        lock (_gate)
        {
            _messages.AddLast(message);
            _bytes += message.MemorySize;
            _total++;
            while (_messages.Count > 1 && (_messages.Count > _maxMessages || _bytes > _maxBytes))
            {
                _bytes -= _messages.First!.Value.MemorySize;
                _messages.RemoveFirst();
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(message))
                {
                    (done ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (done is not null)
        {
            foreach (var waiter in done)
            {
                waiter.TrySetResult(message);
            }
        }

        Captured?.Invoke(message);
    }

    /// <summary>Forgets every kept message (files on disk stay).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
            _bytes = 0;
        }

        Removed?.Invoke(null);
    }

    /// <summary>Forgets one kept message (its files on disk stay); false when no kept message has this id.</summary>
    public bool Remove(string id)
    {
        var removed = false;
        lock (_gate)
        {
            for (var node = _messages.First; node is not null; node = node.Next)
            {
                if (node.Value.Id == id)
                {
                    _bytes -= node.Value.MemorySize;
                    _messages.Remove(node);
                    removed = true;
                    break;
                }
            }
        }

        if (removed)
        {
            Removed?.Invoke(id);
        }

        return removed;
    }

    /// <summary>
    /// Completes with the first kept or future message that matches; cancel it to put a deadline on the wait.
    /// </summary>
    public Task<CapturedMessage> WaitForAsync(Func<CapturedMessage, bool> match, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<CapturedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _messages.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            _waiters.Add((match, done));
        }

        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    _waiters.RemoveAll(w => w.Done == done);
                }

                done.TrySetCanceled(cancellationToken);
            });
        }

        return done.Task;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "loaded {Messages} from {Directory}")]
        public static partial void Loaded(ILogger logger, string messages, string directory);

        [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "left {Files} in {Directory} unloaded ({Names}): each message needs the <id>.json envelope this server writes beside its .eml")]
        public static partial void Skipped(ILogger logger, string files, string directory, string names);
    }
}
