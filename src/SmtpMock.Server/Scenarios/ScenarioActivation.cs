using Microsoft.Extensions.Logging;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Which scenario is active and the rules new sessions run with, each activation under a name of its own (so its
/// counters start at zero; a shared scenario's is <c>NAME#vVERSION</c> on every instance). Also the rules of the other
/// loaded scenarios, for the sessions and ports that choose one. Every change of the active scenario happens under one
/// lock; who is told about it is the caller's business, outside the lock.
/// </summary>
internal sealed partial class ScenarioActivation
{
    private readonly SmtpServerOptions _options;
    private readonly IScenarioState _state;
    private readonly FailureAddresses? _simulator;
    private readonly Func<string, Scenario?> _find;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Scenario Scenario, SessionRules Rules)> _byName = new(StringComparer.Ordinal);
    private long _activations;

    // Whether a scenario (or none) was chosen: at start, or by Activate. Until then the first file saved into a
    // watched folder becomes active, as the first file's would have at start.
    private bool _chosen;
    private volatile Scenario? _active;
    private volatile SessionRules _current;
    private volatile ScenarioEngine? _engine;
    private long _sharedVersion;
    private volatile string? _sharedActivation;

    public ScenarioActivation(SmtpServerOptions options, IScenarioState state, FailureAddresses? simulator, Func<string, Scenario?> find, ILogger logger)
    {
        _options = options;
        _state = state;
        _simulator = simulator;
        _find = find;
        _logger = logger;
        _current = Choosing(ScenarioRules.Plain(options, simulator));
    }

    public Scenario? Active => _active;

    public SessionRules Current => _current;

    public ScenarioEngine? Engine => _engine;

    /// <summary>The version of the shared scenario this instance follows (0 before any was shared).</summary>
    public long SharedVersion => Interlocked.Read(ref _sharedVersion);

    /// <summary>Makes <paramref name="scenario"/> (or none) active by choice; returns the one that was.</summary>
    public Scenario? Choose(Scenario? scenario)
    {
        lock (_gate)
        {
            _chosen = true;
            var was = _active;
            Use(scenario);
            return was;
        }
    }

    /// <summary>A file changed: true when its scenario became active (the active one's new version, or the first file into an empty folder).</summary>
    public bool FileChanged(FileChange change)
    {
        lock (_gate)
        {
            var activate = (change.Replaced is { } replaced && ReferenceEquals(_active, replaced)) || !_chosen;
            if (activate)
            {
                _chosen = true;
                Use(change.Scenario);
            }

            return activate;
        }
    }

    /// <summary>
    /// The state was reset: a fresh engine with its own fired counts. A shared scenario keeps its activation (every
    /// instance counts under it, and the state itself was just emptied); a local one takes a new one.
    /// </summary>
    public void Restart()
    {
        lock (_gate)
        {
            if (_active is { } scenario)
            {
                Use(scenario, announce: false, activation: _sharedActivation);
            }
        }
    }

    /// <summary>This instance's activation was shared as <paramref name="version"/>: it counts under the shared name from now on.</summary>
    public void Shared(Scenario? scenario, long version)
    {
        lock (_gate)
        {
            if (version > _sharedVersion && ReferenceEquals(_active, scenario))
            {
                _sharedVersion = version;
                _sharedActivation = scenario is null ? null : $"{scenario.Name}#v{version}";
                if (scenario is not null)
                {
                    Use(scenario, announce: false, activation: _sharedActivation);
                }
            }
        }
    }

    /// <summary>Another instance shared <paramref name="scenario"/> as <paramref name="version"/>: true when it became active here.</summary>
    public bool Follow(Scenario? scenario, long version)
    {
        lock (_gate)
        {
            if (version <= _sharedVersion)
            {
                return false;
            }

            _sharedVersion = version;
            _sharedActivation = scenario is null ? null : $"{scenario.Name}#v{version}";
            _chosen = true;
            Use(scenario, activation: _sharedActivation);
            return true;
        }
    }

    /// <summary>The rules of the loaded scenario <paramref name="name"/> (an engine of its own, made again when its file changes), or null.</summary>
    public SessionRules? RulesFor(string name)
    {
        if (_find(name) is not { } scenario)
        {
            return null;
        }

        lock (_gate)
        {
            if (!_byName.TryGetValue(scenario.Name, out var kept) || !ReferenceEquals(kept.Scenario, scenario))
            {
                var activation = $"{scenario.Name}@chosen#{Interlocked.Increment(ref _activations)}";
                kept = (scenario, Choosing(ScenarioRules.For(_options, scenario, _state, _simulator, activation, out _) with { Scenario = scenario.Name }));
                _byName[scenario.Name] = kept;
            }

            return kept.Rules;
        }
    }

    /// <summary>Rules that let a session choose another loaded scenario.</summary>
    private SessionRules Choosing(SessionRules rules) => rules with { Choose = RulesFor };

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
        _current = Choosing(ScenarioRules.For(_options, scenario, _state, _simulator, activation, out var engine) with { Scenario = scenario.Name });
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
    }
}
