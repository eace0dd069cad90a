namespace SmtpMock.Server.Capture;

/// <summary>
/// The messages a <see cref="MemoryMessageStore"/> keeps, oldest first, within a count and a byte budget: adding one
/// past either evicts the oldest (the newest always stays, however large), so a long run cannot exhaust memory.
/// Thread-safe: each method holds one lock and hands out lists that are the caller's own.
/// </summary>
internal sealed class RetainedMessages
{
    private readonly Lock _gate = new();
    private readonly LinkedList<CapturedMessage> _messages = new();
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private long _bytes;
    private long _total;

    public RetainedMessages(int maxMessages, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _maxMessages = maxMessages;
        _maxBytes = maxBytes;
    }

    /// <summary>Messages ever added, the evicted and deleted ones included.</summary>
    public long Total => Interlocked.Read(ref _total);

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

    public StoreCounts Counts()
    {
        lock (_gate)
        {
            return new StoreCounts(_messages.Count, _messages.Count(m => !m.Read));
        }
    }

    public List<CapturedMessage> OldestFirst()
    {
        lock (_gate)
        {
            return [.. _messages];
        }
    }

    public List<CapturedMessage> NewestFirst()
    {
        lock (_gate)
        {
            return [.. _messages.Reverse()];
        }
    }

    public CapturedMessage? Find(string id)
    {
        lock (_gate)
        {
            return _messages.FirstOrDefault(m => m.Id == id);
        }
    }

    /// <summary>The kept messages among <paramref name="ids"/> (all of them when null), oldest first.</summary>
    public List<CapturedMessage> Select(IReadOnlyCollection<string>? ids)
    {
        lock (_gate)
        {
            return ids is null ? [.. _messages] : [.. _messages.Where(m => ids.Contains(m.Id))];
        }
    }

    /// <summary>Keeps a message, evicting the oldest past the limits.</summary>
    public void Add(CapturedMessage message)
    {
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
        }
    }

    /// <summary>Takes out the message with <paramref name="id"/>; null when none is kept.</summary>
    public CapturedMessage? Remove(string id)
    {
        lock (_gate)
        {
            for (var node = _messages.First; node is not null; node = node.Next)
            {
                if (node.Value.Id == id)
                {
                    _bytes -= node.Value.MemorySize;
                    _messages.Remove(node);
                    return node.Value;
                }
            }
        }

        return null;
    }

    /// <summary>Takes out every message and returns them, oldest first.</summary>
    public List<CapturedMessage> RemoveAll()
    {
        lock (_gate)
        {
            List<CapturedMessage> removed = [.. _messages];
            _messages.Clear();
            _bytes = 0;
            return removed;
        }
    }

    /// <summary>Takes out the messages that <paramref name="match"/> and returns them, oldest first.</summary>
    public List<CapturedMessage> RemoveWhere(Func<CapturedMessage, bool> match)
    {
        lock (_gate)
        {
            List<CapturedMessage> removed = [.. _messages.Where(match)];
            foreach (var message in removed)
            {
                _messages.Remove(message);
                _bytes -= message.MemorySize;
            }

            return removed;
        }
    }
}
