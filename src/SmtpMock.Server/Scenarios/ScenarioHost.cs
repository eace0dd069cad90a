using Microsoft.Extensions.Logging;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// The scenarios of a server, in three parts: the catalog of loaded files (<see cref="ScenarioFiles"/>: folders,
/// watching, renames), the activation (<see cref="ScenarioActivation"/>: which scenario is active and the rules new
/// sessions run with; a changed active file is activated again, and the first file saved into an empty folder becomes
/// active) and the sharing of the active scenario between instances (<see cref="ScenarioSharing"/>). What scenarios
/// remember across sessions is the <see cref="IScenarioState"/>'s. <see cref="Changed"/> is raised outside the lock.
/// </summary>
public sealed partial class ScenarioHost : IDisposable
{
    private readonly ILogger _logger;
    private readonly ScenarioFiles _files;
    private readonly ScenarioActivation _activation;
    private readonly ScenarioSharing _sharing;

    /// <summary>Loads every file; throws <see cref="ScenarioException"/> listing every problem of every file.</summary>
    public ScenarioHost(SmtpServerOptions options, ILogger logger)
        : this(options, logger, options.ScenarioState ?? new MemoryScenarioState(options.TimeProvider))
    {
    }

    /// <summary>As the other constructor, with the scenario state given (shared between instances, say).</summary>
    public ScenarioHost(SmtpServerOptions options, ILogger logger, IScenarioState state)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        State = state;
        _activation = new ScenarioActivation(options, state, FailureAddresses.For(options, state), Find, logger);
        _files = new ScenarioFiles(options.ScenarioPaths, options.TimeProvider, logger, s => ReferenceEquals(_activation.Active, s));
        _files.Changed += OnFileChanged;
        _sharing = new ScenarioSharing(state, _activation, Find, $"{options.InstanceId}/{Guid.NewGuid():N}", s => Changed?.Invoke(s), logger);
        State.ScenarioChanged += _sharing.OnShared;
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
    internal SessionRules Current => _activation.Current;

    /// <summary>The active scenario, or null when the server behaves correctly.</summary>
    public Scenario? Active => _activation.Active;

    /// <summary>How many times each rule of the active scenario fired (by its index in the file), since it became active.</summary>
    public IReadOnlyDictionary<int, int> FiredCounts => _activation.Engine?.Fired ?? new Dictionary<int, int>();

    /// <summary>Every loaded scenario, by name.</summary>
    public IReadOnlyList<Scenario> Loaded => _files.Loaded;

    /// <summary>The version of the shared scenario this instance follows (0 before any was shared).</summary>
    public long SharedVersion => _activation.SharedVersion;

    /// <summary>Whether a scenario with this name is loaded (for a port that must run it).</summary>
    public bool IsLoaded(string name) => _files.Find(name) is not null;

    /// <summary>
    /// The rules of the loaded scenario <paramref name="name"/>, for the sessions that ask for one (an EHLO name, an AUTH
    /// user) and the ports that run one (<c>--listen PORT=SCENARIO</c>); null when none is loaded with that name.
    /// </summary>
    internal SessionRules? RulesFor(string name) => _activation.RulesFor(name);

    /// <summary>
    /// Joins the instances sharing the state (the server does at start): follows the scenario they share, or, when none
    /// has been shared yet, shares this one's. Before this, activations stay local (so a starting instance never
    /// overrides the scenario the others run).
    /// </summary>
    public Task JoinAsync(CancellationToken cancellationToken) => _sharing.JoinAsync(cancellationToken);

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
        var was = _activation.Choose(scenario);
        if (scenario is null && was is not null)
        {
            Log.Cleared(_logger, was.Name);
        }

        Changed?.Invoke(scenario);
        _sharing.Share(scenario);
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
        _activation.Restart();
        Log.Reset(_logger, _activation.Active?.Name is { } name ? $"scenario '{name}'" : "no scenario active");
    }

    /// <summary>Loads one scenario file now (what the file watcher does once a change has settled).</summary>
    public bool Reload(string path) => _files.Reload(path);

    /// <summary>Starts watching the scenario files for changes.</summary>
    public void Watch() => _files.Watch();

    public void Dispose()
    {
        _files.Changed -= OnFileChanged;
        State.ScenarioChanged -= _sharing.OnShared;
        _files.Dispose();
    }

    private Scenario? Find(string name) => _files.Find(name);

    /// <summary>A file changed: the active scenario's new version becomes active, or the first file saved into an empty folder.</summary>
    private void OnFileChanged(FileChange change)
    {
        if (_activation.FileChanged(change))
        {
            Changed?.Invoke(change.Scenario);
            _sharing.Share(change.Scenario);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Scenario '{Name}' cleared: the server answers correctly for new sessions")]
        public static partial void Cleared(ILogger logger, string name);

        [LoggerMessage(EventId = 208, Level = LogLevel.Information, Message = "Scenario state reset ({Active}): counters, keys, greylisting and the seeded draws start again for new sessions")]
        public static partial void Reset(ILogger logger, string active);

        [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "No scenario file in {Paths} yet: the server answers correctly until a *.yaml or *.yml is saved there (the first becomes active)")]
        public static partial void NoneYet(ILogger logger, string paths);
    }
}
