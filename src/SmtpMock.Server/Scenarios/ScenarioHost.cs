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
    private string? _activeName;
    private volatile Scenario? _active;
    private volatile SessionRules _current;

    /// <summary>Loads every file; throws <see cref="ScenarioException"/> listing every problem of every file.</summary>
    public ScenarioHost(SmtpServerOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _current = ScenarioRules.Plain(options);
        var problems = new List<ScenarioProblem>();
        foreach (var file in Files(options.ScenarioPaths, problems))
        {
            try
            {
                _byFile[file] = ScenarioLoader.Load(file);
            }
            catch (ScenarioException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        var duplicate = _byFile.Values.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            problems.Add(new ScenarioProblem(duplicate.Last().SourcePath ?? "(scenario)", 1, 1, $"two scenarios are named '{duplicate.Key}'"));
        }

        if (problems.Count > 0)
        {
            throw new ScenarioException([.. problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column)]);
        }

        var active = options.ActiveScenario ?? _byFile.Values.OrderBy(s => s.SourcePath, StringComparer.Ordinal).FirstOrDefault()?.Name;
        if (active is not null)
        {
            Activate(active);
        }
    }

    /// <summary>Raised after the active scenario changed or was reloaded (null: no scenario).</summary>
    public event Action<Scenario?>? Changed;

    /// <summary>The rules a session starting now runs with.</summary>
    internal SessionRules Current => _current;

    /// <summary>The active scenario, or null when the server behaves correctly.</summary>
    public Scenario? Active => _active;

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
                ?? throw new ScenarioException($"no scenario named '{name}' (loaded: {string.Join(", ", _byFile.Values.Select(s => s.Name))})");
            _activeName = name;
            Use(scenario);
        }
    }

    /// <summary>Makes this scenario active (for example one parsed from text in a test), or none with null.</summary>
    public void Activate(Scenario? scenario)
    {
        lock (_gate)
        {
            _activeName = scenario?.Name;
            if (scenario is null)
            {
                _active = null;
                _current = ScenarioRules.Plain(_options);
                Changed?.Invoke(null);
            }
            else
            {
                Use(scenario);
            }
        }
    }

    /// <summary>Starts watching the scenario files for changes.</summary>
    public void Watch()
    {
        foreach (var directory in _byFile.Keys.Select(Path.GetDirectoryName).Distinct(StringComparer.Ordinal))
        {
            var watcher = new FileSystemWatcher(directory!)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, e) => ScheduleReload(e.FullPath);
            watcher.Created += (_, e) => ScheduleReload(e.FullPath);
            watcher.Renamed += (_, e) => ScheduleReload(e.FullPath);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Reloads one file now; on failure logs every problem and keeps the last good version.</summary>
    public bool Reload(string path)
    {
        path = Path.GetFullPath(path);
        lock (_gate)
        {
            if (!_byFile.ContainsKey(path))
            {
                return false;
            }
        }

        Scenario scenario;
        try
        {
            scenario = ScenarioLoader.Load(path);
        }
        catch (ScenarioException e)
        {
            Log.ReloadFailed(_logger, path, e.Problems.Count, string.Join(Environment.NewLine, e.Problems));
            return false;
        }

        lock (_gate)
        {
            var previous = _byFile[path];
            _byFile[path] = scenario;
            if (_activeName == previous.Name)
            {
                _activeName = scenario.Name;
                Use(scenario);
            }
        }

        Log.Reloaded(_logger, path, scenario.Name);
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
        _current = ScenarioRules.For(_options, scenario);
        Log.Active(_logger, scenario.Name, scenario.Rules.Count, scenario.SourcePath ?? "(inline)");
        Changed?.Invoke(scenario);
    }

    /// <summary>Editors write a file in several steps: reload once the writes have settled.</summary>
    private void ScheduleReload(string path)
    {
        path = Path.GetFullPath(path);
        lock (_gate)
        {
            if (!_byFile.ContainsKey(path))
            {
                return;
            }

            if (_pendingReloads.Remove(path, out var old))
            {
                old.Dispose();
            }

            _pendingReloads[path] = _options.TimeProvider.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        _pendingReloads.Remove(path);
                    }

                    Reload(path);
                },
                null,
                TimeSpan.FromMilliseconds(200),
                Timeout.InfiniteTimeSpan);
        }
    }

    private static List<string> Files(IReadOnlyList<string> paths, List<ScenarioProblem> problems)
    {
        var files = new List<string>();
        foreach (var path in paths.Select(Path.GetFullPath))
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.y*ml").Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                problems.Add(new ScenarioProblem(path, 1, 1, "no such file or folder"));
            }
        }

        return files;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Scenario '{Name}' active ({Rules} rules, from {Source})")]
        public static partial void Active(ILogger logger, string name, int rules, string source);

        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Scenario file {Path} reloaded ('{Name}')")]
        public static partial void Reloaded(ILogger logger, string path, string name);

        [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Scenario file {Path} has {Count} problems; the last good version stays active:\n{Problems}")]
        public static partial void ReloadFailed(ILogger logger, string path, int count, string problems);
    }
}
