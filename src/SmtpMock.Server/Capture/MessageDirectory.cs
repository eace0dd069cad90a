using System.Text.Json;

namespace SmtpMock.Server.Capture;

/// <summary>
/// Writes each accepted message as <c>id.eml</c> (the raw bytes) and <c>id.json</c> (the envelope). Each file is
/// written to a temporary name, flushed to disk and renamed, the JSON first and the .eml last: an .eml that is
/// listed is always whole, whatever moment a crash or kill -9 comes at.
/// </summary>
public sealed class MessageDirectory
{
    internal const string TempSuffix = ".tmp";

    /// <summary>
    /// Creates the folder if needed and proves it writable now, so a store that cannot work fails at start with an
    /// <see cref="IOException"/> saying why, not on the first message. The store keeps its own temporary files (DATA
    /// spooled to disk, files being written) in <see cref="TempPath"/> and touches nothing else in the folder: it may be
    /// <c>.</c> or a folder shared with other files. Stored mail is private to the user (folder 0700 when the store
    /// makes it, files 0600) unless <paramref name="shared"/> (folder 0755, files 0644).
    /// </summary>
    public MessageDirectory(string path, bool shared = false)
    {
        Path = System.IO.Path.GetFullPath(path);
        TempPath = System.IO.Path.Combine(Path, PrivateFolder, "tmp");
        _fileMode = shared ? SharedFile : PrivateFile;
        if (File.Exists(Path))
        {
            throw new IOException($"cannot use {Path} as the message store: it is a file, not a folder");
        }

        try
        {
            CreateFolder(Path, shared);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create the message store folder {Path}: {e.Message}", e);
        }

        try
        {
            CreateFolder(System.IO.Path.Combine(Path, PrivateFolder), shared: false);
            CreateFolder(TempPath, shared: false);

            // Only the store's own leftovers (a kill -9 during a write): nothing else in the folder is touched.
            foreach (var leftover in System.IO.Directory.EnumerateFiles(TempPath))
            {
                File.Delete(leftover);
            }

            var probe = System.IO.Path.Combine(TempPath, "write-test" + TempSuffix);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write to the message store folder {Path}: {e.Message}", e);
        }
    }

    /// <summary>The store's own folder inside the store folder (temporary files, a kept TLS certificate).</summary>
    public const string PrivateFolder = ".smtpmock";

    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode SharedFile = PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly UnixFileMode _fileMode;

    public string Path { get; }

    /// <summary>Where the store's temporary files live (DATA spooled to disk, files being written): on the same disk, so a rename puts them in place.</summary>
    public string TempPath { get; }

    /// <summary>A folder the store makes is 0700 (0755 shared); one that exists keeps its mode.</summary>
    private static void CreateFolder(string path, bool shared)
    {
        if (System.IO.Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        System.IO.Directory.CreateDirectory(path, shared ? mode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute : mode);
    }

    /// <summary>Writes the message's two files; a disk failure is an <see cref="IOException"/> whose message says it all.</summary>
    public void Write(CapturedMessage message)
    {
        try
        {
            WriteFiles(message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write message {message.Id} to {Path}: {e.Message}", e);
        }
    }

    /// <summary>Rewrites the message's envelope with its read flag and tags, so a restart keeps them.</summary>
    public void Update(CapturedMessage message)
    {
        try
        {
            WriteAtomically(message.Id + ".json", EnvelopeFile.From(message).ToJson());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot update message {message.Id} in {Path}: {e.Message}", e);
        }
    }

    /// <summary>Deletes the message's two files, the .eml first (so a half-deleted message is not listed); missing files are no error.</summary>
    public void Delete(string id)
    {
        try
        {
            File.Delete(System.IO.Path.Combine(Path, id + ".eml"));
            File.Delete(System.IO.Path.Combine(Path, id + ".json"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot delete message {id} from {Path}: {e.Message}", e);
        }
    }

    private void WriteFiles(CapturedMessage message)
    {
        WriteAtomically(message.Id + ".json", EnvelopeFile.From(message).ToJson());
        var eml = System.IO.Path.Combine(Path, message.Id + ".eml");
        if (message.ContentFile is { } spooled)
        {
            // Spooled content is already whole and flushed on this disk: a rename puts it in place.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(spooled, _fileMode);
            }

            File.Move(spooled, eml, overwrite: true);
            message.ContentFile = eml;
        }
        else
        {
            WriteAtomically(message.Id + ".eml", message.Raw.Span);
        }
    }

    /// <summary>The messages whose .eml and .json are both whole, oldest first.</summary>
    public IReadOnlyList<CapturedMessage> Load() => Load([]);

    /// <summary>As <see cref="Load()"/>, naming in <paramref name="skipped"/> each .eml left on disk unloaded.</summary>
    internal IReadOnlyList<CapturedMessage> Load(ICollection<string> skipped)
    {
        var messages = new List<CapturedMessage>();
        foreach (var eml in System.IO.Directory.EnumerateFiles(Path, "*.eml"))
        {
            var json = System.IO.Path.ChangeExtension(eml, ".json");
            if (!File.Exists(json))
            {
                skipped.Add(System.IO.Path.GetFileName(eml));
                continue;
            }

            EnvelopeFile? envelope;
            try
            {
                envelope = EnvelopeFile.FromJson(File.ReadAllBytes(json));
            }
            catch (JsonException)
            {
                // Not an envelope this server wrote: the message is left on disk and not loaded.
                skipped.Add(System.IO.Path.GetFileName(eml));
                continue;
            }

            if (envelope is null)
            {
                skipped.Add(System.IO.Path.GetFileName(eml));
                continue;
            }

            // Large messages stay on disk and are read when asked for; small ones are loaded.
            var size = new FileInfo(eml).Length;
            messages.Add(envelope.ToMessage(
                size > MessageContent.SpillThreshold ? null : File.ReadAllBytes(eml),
                size > MessageContent.SpillThreshold ? eml : null));
        }

        return [.. messages.OrderBy(m => m.ReceivedAt)];
    }

    private void WriteAtomically(string name, ReadOnlySpan<byte> bytes)
    {
        var final = System.IO.Path.Combine(Path, name);
        var temp = System.IO.Path.Combine(TempPath, $"{name}.{Guid.NewGuid():N}{TempSuffix}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = _fileMode;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, final, overwrite: true);
    }
}
