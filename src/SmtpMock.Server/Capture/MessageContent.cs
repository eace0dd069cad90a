namespace SmtpMock.Server.Capture;

/// <summary>
/// The content of the message being received. It stays in pooled memory blocks while small; with a spool folder
/// (the store directory) it spills to a temporary file there once it passes <see cref="SpillThreshold"/>, so a
/// message of any size streams to disk with bounded memory and is later renamed, not copied, into place.
/// </summary>
public sealed class MessageContent(string? spoolDirectory) : IMessageWriter
{
    /// <summary>Messages up to this size stay in memory.</summary>
    public const int SpillThreshold = 4 * 1024 * 1024;

    private readonly MessageBuffer _memory = new();
    private FileStream? _spill;
    private string? _spillPath;

    public long Length => _spill?.Length ?? _memory.Length;

    /// <summary>The spool file could not be written (disk full...): the message cannot be kept.</summary>
    public bool Failed { get; private set; }

    public void Advance(int count)
    {
        _memory.Advance(count);
        if (_memory.Length >= SpillThreshold && spoolDirectory is not null)
        {
            if (Failed)
            {
                // Keep reading to the end of data with bounded memory; the message will be refused.
                _memory.Clear();
                return;
            }

            try
            {
                Spill();
            }
            catch (IOException)
            {
                Forget();
                Failed = true;
            }
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _memory.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _memory.GetSpan(sizeHint);

    /// <summary>Takes the finished content: bytes in memory, or the spooled file flushed to disk.</summary>
    public (byte[]? Bytes, string? File, long Size) Take()
    {
        if (_spill is null)
        {
            var bytes = _memory.ToArray();
            _memory.Clear();
            return (bytes, null, bytes.Length);
        }

        Spill();
        _spill.Flush(flushToDisk: true);
        var size = _spill.Length;
        _spill.Dispose();
        _spill = null;
        var path = _spillPath;
        _spillPath = null;
        return (null, path, size);
    }

    /// <summary>Forgets the content and any failure; a spooled file that was not taken is deleted.</summary>
    public void Clear()
    {
        Failed = false;
        Forget();
    }

    public void Dispose() => Clear();

    /// <summary>Drops what is held, in memory and in the spool file.</summary>
    private void Forget()
    {
        _memory.Clear();
        if (_spill is not null)
        {
            _spill.Dispose();
            _spill = null;
            File.Delete(_spillPath!);
            _spillPath = null;
        }
    }

    /// <summary>Moves what is in memory to the spool file (opening it the first time).</summary>
    private void Spill()
    {
        if (_spill is null)
        {
            _spillPath = Path.Combine(spoolDirectory!, $"spool-{Guid.NewGuid():N}{MessageDirectory.TempSuffix}");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 64 * 1024 };
            if (!OperatingSystem.IsWindows())
            {
                // Mail in the making is private to the user until the store puts it in place with its own mode.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            _spill = new FileStream(_spillPath, options);
        }

        _memory.CopyTo(_spill);
        _memory.Clear();
    }
}
