using Microsoft.Extensions.Logging;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Which scenario is active and the rules new sessions run with. The loaded files are <see cref="ScenarioFiles"/>'
/// (watched; a changed active file is activated again, and the first file saved into an empty folder becomes active);
/// what scenarios remember across sessions is the <see cref="IScenarioState"/>'s. <see cref="Changed"/> is raised
/// outside the lock.
/// </summary>
public sealed partial class ScenarioHost : IDisposable
{
    private readonly SmtpServerOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ScenarioFiles _files;
    private readonly FailureAddresses? _simulator;
    private long _activations;

    // Whether a scenario (or none) was chosen: at start, or by Activate. Until then the first file saved into a
    // watched folder becomes active, as the first file's would have at start.
    private bool _chosen;
    private volatile Scenario? _active;
    private volatile SessionRules _current;
    private volatile ScenarioEngine? _engine;

    /// <summary>Loads every file; throws <see cref="ScenarioException"/> listing every problem of every file.</summary>
    public ScenarioHost(SmtpServerOptions options, ILogger logger)
        : this(options, logger, options.ScenarioState ?? new MemoryScenarioState(options.TimeProvider))
    {
    }

    /// <summary>As the other constructor, with the scenario state given (shared between instances, say).</summary>
    public ScenarioHost(SmtpServerOptions options, ILogger logger, IScenarioState state)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        State = state;
        _simulator = FailureAddresses.For(options, state);
        _current = Choosing(ScenarioRules.Plain(options, _simulator));
        _files = new ScenarioFiles(options.ScenarioPaths, options.TimeProvider, logger, s => ReferenceEquals(_active, s));
        _files.Changed += OnFileChanged;
        _self = $"{options.InstanceId}/{Guid.NewGuid():N}";
        State.ScenarioChanged += OnShared;
        var active = options.ActiveScenario ?? _files.First?.Name;
        if (active is not null)
        {
            Activate(active);
        }
        else if (_files.Paths.Count > 0)
        {
            Log.NoneYet(_logger, string.Join(", ", _files.Paths));
        }
    }

    /// <summary>Raised after the active scenario changed or was reloaded (null: no scenario).</summary>
    public event Action<Scenario?>? Changed;

    /// <summary>Where scenario counters and keys live (and how to reset them).</summary>
    public IScenarioState State { get; }

    /// <summary>The rules a session starting now runs with.</summary>
    internal SessionRules Current => _current;

    /// <summary>The active scenario, or null when the server behaves correctly.</summary>
    public Scenario? Active => _active;

    /// <summary>How many times each rule of the active scenario fired (by its index in the file), since it became active.</summary>
    public IReadOnlyDictionary<int, int> FiredCounts => _engine?.Fired ?? new Dictionary<int, int>();

    /// <summary>Every loaded scenario, by name.</summary>
    public IReadOnlyList<Scenario> Loaded => _files.Loaded;

    /// <summary>Makes the loaded scenario with this name active for new sessions.</summary>
    public void Activate(string name)
    {
        var scenario = _files.Find(name)
            ?? throw new ScenarioException(_files.Loaded.Count == 0
                ? $"no scenario named '{name}': no scenario files are loaded"
                : $"no scenario named '{name}'; the loaded ones are: {string.Join(", ", _files.Loaded.Select(s => s.Name))}");
        Activate(scenario);
    }

    /// <summary>Makes this scenario active (for example one parsed from text in a test), or none with null.</summary>
    public void Activate(Scenario? scenario)
    {
        Scenario? was;
        lock (_gate)
        {
            _chosen = true;
            was = _active;
            Use(scenario);
        }

        if (scenario is null && was is not null)
        {
            Log.Cleared(_logger, was.Name);
        }

        Changed?.Invoke(scenario);
        Share(scenario);
    }

    /// <summary>
    /// Starts counting again, for every session from now on and on every instance sharing the state: <c>nth</c>
    /// counters, <c>times</c> keys, the seeded draws and the failure addresses' greylisting. The scenario stays.
    /// </summary>
    public void Reset() => ResetAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Reset"/>
    public async ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        await State.ResetAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_active is { } scenario)
            {
                // A fresh engine with its own fired counts. A shared scenario keeps its activation (every instance
                // counts under it, and the state itself was just emptied); a local one takes a new one.
                Use(scenario, announce: false, activation: _sharedActivation);
            }
        }

        Log.Reset(_logger, _active?.Name is { } name ? $"scenario '{name}'" : "no scenario active");
    }

    /// <summary>Loads one scenario file now (what the file watcher does once a change has settled).</summary>
    public bool Reload(string path) => _files.Reload(path);

    /// <summary>Starts watching the scenario files for changes.</summary>
    public void Watch() => _files.Watch();

    public void Dispose()
    {
        _files.Changed -= OnFileChanged;
        State.ScenarioChanged -= OnShared;
        _files.Dispose();
    }

    /// <summary>A file changed: the active scenario's new version becomes active, or the first file saved into an empty folder.</summary>
    private void OnFileChanged(FileChange change)
    {
        bool activate;
        lock (_gate)
        {
            activate = (change.Replaced is { } replaced && ReferenceEquals(_active, replaced)) || !_chosen;
            if (activate)
            {
                _chosen = true;
                Use(change.Scenario);
            }
        }

        if (activate)
        {
            Changed?.Invoke(change.Scenario);
            Share(change.Scenario);
        }
    }

    /// <summary>Under the lock: the rules new sessions get, with a new activation name (so its counters start at zero).</summary>
    private void Use(Scenario? scenario, bool announce = true, string? activation = null)
    {
        _active = scenario;
        if (scenario is null)
        {
            _engine = null;
            _current = Choosing(ScenarioRules.Plain(_options, _simulator));
            return;
        }

        activation ??= $"{scenario.Name}#{Interlocked.Increment(ref _activations)}";
        _current = Choosing(ScenarioRules.For(_options, scenario, State, _simulator, activation, out var engine) with { Scenario = scenario.Name });
        _engine = engine;
        if (announce)
        {
            Log.Active(_logger, scenario.Name, scenario.Rules.Count == 1 ? "1 rule" : $"{scenario.Rules.Count} rules", scenario.SourcePath ?? "(inline)");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Scenario '{Name}' active ({Rules}, from {Source})")]
        public static partial void Active(ILogger logger, string name, string rules, string source);

        [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Scenario '{Name}' cleared: the server answers correctly for new sessions")]
        public static partial void Cleared(ILogger logger, string name);

        [LoggerMessage(EventId = 208, Level = LogLevel.Information, Message = "Scenario state reset ({Active}): counters, keys, greylisting and the seeded draws start again for new sessions")]
        public static partial void Reset(ILogger logger, string active);

        [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "No scenario file in {Paths} yet: the server answers correctly until a *.yaml or *.yml is saved there (the first becomes active)")]
        public static partial void NoneYet(ILogger logger, string paths);
    }
}
