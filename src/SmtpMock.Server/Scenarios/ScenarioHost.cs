using Microsoft.Extensions.Logging;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Holds the scenarios a server was given (files, or folders of <c>*.yaml</c>/<c>*.yml</c>), which one is active,
/// and the rules new sessions run with. Files are watched: a change is loaded without a restart; a broken change is
/// logged with every problem and the last good version stays active.
/// </summary>
public sealed partial class ScenarioHost : IDisposable
{
    private readonly SmtpServerOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Scenario> _byFile = new(StringComparer.Ordinal);
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Dictionary<string, ITimer> _pendingReloads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _folders;
    private readonly FailureAddresses? _simulator;
    private string? _activeName;

    // Whether a scenario (or none) was chosen: at start, or by Activate. Until then the first file saved into a
    // watched folder becomes active, as the first file's would have at start.
    private bool _chosen;
    private volatile Scenario? _active;
    private volatile SessionRules _current;
    private volatile ScenarioEngine? _engine;

    /// <summary>Loads every file; throws <see cref="ScenarioException"/> listing every problem of every file.</summary>
    public ScenarioHost(SmtpServerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _simulator = FailureAddresses.For(options);
        _current = ScenarioRules.Plain(options, _simulator);
        var paths = options.ScenarioPaths.Select(p => string.IsNullOrWhiteSpace(p) ? p : Path.GetFullPath(p)).ToList();
        _folders = [.. paths.Where(Directory.Exists)];
        var set = ScenarioCatalog.Load(paths);
        if (set.Problems.Count > 0)
        {
            throw new ScenarioException(set.Problems);
        }

        foreach (var scenario in set.Scenarios)
        {
            _byFile[scenario.SourcePath!] = scenario;
        }

        var active = options.ActiveScenario ?? set.Scenarios.FirstOrDefault()?.Name;
        if (active is not null)
        {
            Activate(active);
        }
        else if (paths.Count > 0)
        {
            Log.NoneYet(_logger, string.Join(", ", paths));
        }
    }

    /// <summary>Raised after the active scenario changed or was reloaded (null: no scenario).</summary>
    public event Action<Scenario?>? Changed;

    /// <summary>The rules a session starting now runs with.</summary>
    internal SessionRules Current => _current;

    /// <summary>The active scenario, or null when the server behaves correctly.</summary>
    public Scenario? Active => _active;

    /// <summary>How many times each rule of the active scenario fired (by its index in the file), since it became active.</summary>
    public IReadOnlyDictionary<int, int> FiredCounts => _engine?.Fired ?? new Dictionary<int, int>();

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

    /// <summary>Makes the loaded scenario with this name active for new sessions.</summary>
    public void Activate(string name)
    {
        lock (_gate)
        {
            var scenario = _byFile.Values.FirstOrDefault(s => s.Name == name)
                ?? throw new ScenarioException(_byFile.Count == 0
                    ? $"no scenario named '{name}': no scenario files are loaded"
                    : $"no scenario named '{name}'; the loaded ones are: {string.Join(", ", _byFile.Values.Select(s => s.Name).Order(StringComparer.Ordinal))}");
            _chosen = true;
            _activeName = name;
            Use(scenario);
        }
    }

    /// <summary>Makes this scenario active (for example one parsed from text in a test), or none with null.</summary>
    public void Activate(Scenario? scenario)
    {
        lock (_gate)
        {
            _chosen = true;
            _activeName = scenario?.Name;
            if (scenario is null)
            {
                var was = _active;
                _active = null;
                _engine = null;
                _current = ScenarioRules.Plain(_options, _simulator);
                if (was is not null)
                {
                    Log.Cleared(_logger, was.Name);
                }

                Changed?.Invoke(null);
            }
            else
            {
                Use(scenario);
            }
        }
    }

    /// <summary>
    /// Starts the active scenario's counting again for new sessions: <c>nth</c> counters, <c>times</c> keys, the
    /// seeded random sequence, and the failure addresses' greylisting. The scenario itself stays as it is.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _simulator?.Reset();
            if (_active is { } scenario)
            {
                _current = ScenarioRules.For(_options, scenario, _simulator, out var engine);
                _engine = engine;
            }
        }

        Log.Reset(_logger, _active?.Name is { } name ? $"scenario '{name}'" : "no scenario active");
    }

    /// <summary>
    /// Loads one file now, a changed one or a new one in a watched folder (a deleted one is logged; what it held stays). A file with problems, or one whose name
    /// another file already has, is logged with every problem and the last good set stays.
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
            Scenario? gone;
            bool active;
            lock (_gate)
            {
                gone = _byFile.GetValueOrDefault(path);
                active = gone is not null && _activeName == gone.Name;
            }

            if (gone is not null)
            {
                Log.Deleted(_logger, path, gone.Name, active ? "and active " : string.Empty);
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

        Scenario? previous;
        lock (_gate)
        {
            // A renamed file, or one deleted and saved under another name: its namesake whose file is gone gives way
            // (else it would be refused as a duplicate of a file that no longer exists) and passes on being active.
            var moved = _byFile.FirstOrDefault(f => f.Value.Name == scenario.Name && f.Key != path && !File.Exists(f.Key));
            if (moved.Key is not null)
            {
                _byFile.Remove(moved.Key);
            }

            if (ScenarioCatalog.Duplicate(scenario, _byFile.Values) is { } duplicate)
            {
                // Names are unique among the loaded files, so a namesake that gave way cannot be the duplicate.
                Log.ReloadFailed(_logger, path, duplicate.ToString());
                return false;
            }

            var replaced = _byFile.GetValueOrDefault(path);
            previous = replaced ?? moved.Value;
            _byFile[path] = scenario;
            if ((replaced is not null && _activeName == replaced.Name) || (moved.Value is not null && _activeName == moved.Value.Name))
            {
                _activeName = scenario.Name;
                Use(scenario);
            }
            else if (!_chosen)
            {
                // Started with an empty folder: without this the first scenario saved there loaded but never applied.
                _chosen = true;
                _activeName = scenario.Name;
                Use(scenario);
            }
        }

        if (previous is null)
        {
            Log.Loaded(_logger, path, scenario.Name);
        }
        else
        {
            Log.Reloaded(_logger, path, scenario.Name);
        }

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

    private void Use(Scenario scenario)
    {
        _active = scenario;
        _current = ScenarioRules.For(_options, scenario, _simulator, out var engine);
        _engine = engine;
        Log.Active(_logger, scenario.Name, scenario.Rules.Count == 1 ? "1 rule" : $"{scenario.Rules.Count} rules", scenario.SourcePath ?? "(inline)");
        Changed?.Invoke(scenario);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Scenario '{Name}' active ({Rules}, from {Source})")]
        public static partial void Active(ILogger logger, string name, string rules, string source);

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

        [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Scenario '{Name}' cleared: the server answers correctly for new sessions")]
        public static partial void Cleared(ILogger logger, string name);

        [LoggerMessage(EventId = 208, Level = LogLevel.Information, Message = "Scenario state reset ({Active}): counters, keys, greylisting and the seeded random sequence start again for new sessions")]
        public static partial void Reset(ILogger logger, string active);

        [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "No scenario file in {Paths} yet: the server answers correctly until a *.yaml or *.yml is saved there (the first becomes active)")]
        public static partial void NoneYet(ILogger logger, string paths);
    }
}
