namespace SmtpMock.Cli.Tests.Process;

/// <summary>A temporary <c>--store</c> folder: what is in it, a wait (with a deadline) for a file to appear, and removal.</summary>
internal sealed class StoreFolder : IDisposable
{
    /// <summary>The name of a message being spooled to the folder while it arrives.</summary>
    public const string SpoolPattern = "spool-*.tmp";

    public StoreFolder() => Path = Directory.CreateTempSubdirectory("smtpmock-process-").FullName;

    public string Path { get; }

    /// <summary>Where the store keeps its own temporary files (spooled DATA, files being written).</summary>
    public string TempPath => System.IO.Path.Combine(Path, ".smtpmock", "tmp");

    /// <summary>The names of the files matching the pattern, sorted.</summary>
    public IReadOnlyList<string> Names(string pattern = "*") =>
        [.. Directory.EnumerateFiles(Path, pattern).Select(f => System.IO.Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>The names of the store's temporary files matching the pattern, sorted.</summary>
    public IReadOnlyList<string> TempNames(string pattern = "*") =>
        Directory.Exists(TempPath) ? [.. Directory.EnumerateFiles(TempPath, pattern).Select(f => System.IO.Path.GetFileName(f)).Order(StringComparer.Ordinal)] : [];

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Completes when a file matching the pattern exists; fails the test after <paramref name="limit"/>.</summary>
    public async Task WaitForFileAsync(string pattern, TimeSpan limit)
    {
        using var watcher = new FileSystemWatcher(Path, pattern) { IncludeSubdirectories = true };
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, _) => created.TrySetResult();
        watcher.EnableRaisingEvents = true;
        if (Directory.EnumerateFiles(Path, pattern, SearchOption.AllDirectories).Any())
        {
            return;
        }

        try
        {
            await created.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"no {pattern} in {Path} within {limit.TotalSeconds} s; there is: {string.Join(", ", Names())}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child still writing: the temp folder is left for the OS to clean.
        }
    }
}
