using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Scenarios;

/// <summary>What a reload did: the scenario a file now holds, and the one it replaced (its own earlier version, or a renamed file's).</summary>
internal readonly record struct FileChange(Scenario Scenario, Scenario? Replaced);

/// <summary>
/// The scenario files a server was given (files, or folders of <c>*.yaml</c>/<c>*.yml</c>): loaded at start, and
/// reloaded when they change on disk. A broken change is logged with every problem and the last good version stays;
/// a renamed file takes its name with it; a deleted one is logged and stays loaded. Which scenario is active is not
/// this class's business: it tells <see cref="Changed"/>, outside its lock.
/// </summary>
internal sealed partial class ScenarioFiles : IDisposable
{
    private readonly ILogger _logger;
    private readonly Func<Scenario, bool> _isActive;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Scenario> _byFile = new(StringComparer.Ordinal);
    private readonly HashSet<string> _folders;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Dictionary<string, ITimer> _pendingReloads = new(StringComparer.Ordinal);

    /// <summary>Loads every file; throws <see cref="ScenarioException"/> listing every problem of every file.</summary>
    public ScenarioFiles(IReadOnlyList<string> scenarioPaths, TimeProvider clock, ILogger logger, Func<Scenario, bool> isActive)
    {
        _logger = logger;
        _isActive = isActive;
        _clock = clock;
        Paths = [.. scenarioPaths.Select(p => string.IsNullOrWhiteSpace(p) ? p : Path.GetFullPath(p))];
        _folders = [.. Paths.Where(Directory.Exists)];
        var set = ScenarioCatalog.Load(Paths);
        if (set.Problems.Count > 0)
        {
            throw new ScenarioException(set.Problems);
        }

        foreach (var scenario in set.Scenarios)
        {
            _byFile[scenario.SourcePath!] = scenario;
        }

        First = set.Scenarios.FirstOrDefault();
    }

    /// <summary>A file loaded or changed (after the lock is released).</summary>
    public event Action<FileChange>? Changed;

    /// <summary>The paths as given, made full.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The first scenario loaded at start (the one that becomes active by default), or null.</summary>
    public Scenario? First { get; }

    /// <summary>Every loaded scenario, by name.</summary>
    public IReadOnlyList<Scenario> Loaded
    {
        get
        {
            lock (_gate)
            {
                return [.. _byFile.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];
            }
        }
    }

    public Scenario? Find(string name)
    {
        lock (_gate)
        {
            return _byFile.Values.FirstOrDefault(s => s.Name == name);
        }
    }

    /// <summary>
    /// Loads one file now, a changed one or a new one in a watched folder (a deleted one is logged; what it held stays).
    /// A file with problems, or one whose name another file already has, is logged with every problem and the last
    /// good set stays.
    /// </summary>
    public bool Reload(string path)
    {
        path = Path.GetFullPath(path);
        if (!IsWatched(path))
        {
            return false;
        }

        if (!File.Exists(path))
        {
            // Deleted (an editor that saves by delete-and-create is back by now: reloads wait 200 ms for quiet).
            if (Known(path) is { } gone)
            {
                Log.Deleted(_logger, path, gone.Name, _isActive(gone) ? "and active " : string.Empty);
            }

            return false;
        }

        Scenario scenario;
        try
        {
            scenario = ScenarioLoader.Load(path);
        }
        catch (ScenarioException e)
        {
            Log.ReloadFailed(_logger, path, string.Join(Environment.NewLine, e.Problems));
            return false;
        }

        Scenario? replaced;
        lock (_gate)
        {
            // A renamed file, or one deleted and saved under another name: its namesake whose file is gone gives way
            // (else it would be refused as a duplicate of a file that no longer exists).
            var moved = _byFile.FirstOrDefault(f => f.Value.Name == scenario.Name && f.Key != path && !File.Exists(f.Key));
            if (moved.Key is not null)
            {
                _byFile.Remove(moved.Key);
            }

            if (ScenarioCatalog.Duplicate(scenario, _byFile.Values) is { } duplicate)
            {
                Log.ReloadFailed(_logger, path, duplicate.ToString());
                return false;
            }

            replaced = _byFile.GetValueOrDefault(path) ?? moved.Value;
            _byFile[path] = scenario;
        }

        if (replaced is null)
        {
            Log.Loaded(_logger, path, scenario.Name);
        }
        else
        {
            Log.Reloaded(_logger, path, scenario.Name);
        }

        Changed?.Invoke(new FileChange(scenario, replaced));
        return true;
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        lock (_gate)
        {
            foreach (var timer in _pendingReloads.Values)
            {
                timer.Dispose();
            }

            _pendingReloads.Clear();
        }
    }

    private Scenario? Known(string path)
    {
        lock (_gate)
        {
            return _byFile.GetValueOrDefault(path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Scenario file {Path} reloaded ('{Name}')")]
        public static partial void Reloaded(ILogger logger, string path, string name);

        [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Scenario file {Path} not loaded; the last good set stays active:\n{Problems}")]
        public static partial void ReloadFailed(ILogger logger, string path, string problems);

        [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Scenario file {Path} loaded ('{Name}')")]
        public static partial void Loaded(ILogger logger, string path, string name);

        [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Scenario file {Path} was deleted: '{Name}' stays loaded {Active}until the server restarts or another is activated")]
        public static partial void Deleted(ILogger logger, string path, string name, string active);

        [LoggerMessage(EventId = 206, Level = LogLevel.Error, Message = "Scenario file {Path} could not be reloaded; the last good set stays active")]
        public static partial void ReloadCrashed(ILogger logger, Exception exception, string path);
    }
}
