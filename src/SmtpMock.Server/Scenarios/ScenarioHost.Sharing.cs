using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// The active scenario as every instance sharing the state sees it: an activation here (an API PUT, a file reload)
/// is written to the state with a new version, and a newer version written by another instance is activated here. A
/// shared scenario's counters live under <c>NAME#vVERSION</c>, the same activation on every instance, so "the third
/// RCPT" counts across all of them.
/// </summary>
public sealed partial class ScenarioHost
{
    private readonly string _self;
    private long _sharedVersion;
    private volatile string? _sharedActivation;

    /// <summary>The version of the shared scenario this instance follows (0 before any was shared).</summary>
    public long SharedVersion => Interlocked.Read(ref _sharedVersion);

    private volatile bool _joined;

    /// <summary>
    /// Joins the instances sharing the state (the server does at start): follows the scenario they share, or, when none
    /// has been shared yet, shares this one's. Before this, activations stay local (so a starting instance never
    /// overrides the scenario the others run).
    /// </summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        SharedScenario? shared;
        try
        {
            shared = await State.GetScenarioAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            Log.NotShared(_logger, _active?.Name ?? "(none)", State.Description, e.Message);
            _joined = true;
            return;
        }

        _joined = true;
        if (shared is null)
        {
            await ShareAsync(_active).ConfigureAwait(false);
        }
        else
        {
            Follow(shared);
        }
    }

    private void Share(Scenario? scenario)
    {
        if (_joined)
        {
            _ = ShareAsync(scenario);
        }
    }

    private async Task ShareAsync(Scenario? scenario)
    {
        try
        {
            var shared = await State.SetScenarioAsync(scenario?.Name, scenario?.Yaml, _self, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                if (shared.Version > _sharedVersion && ReferenceEquals(_active, scenario))
                {
                    _sharedVersion = shared.Version;
                    _sharedActivation = scenario is null ? null : $"{scenario.Name}#v{shared.Version}";
                    if (scenario is not null)
                    {
                        Use(scenario, announce: false, activation: _sharedActivation);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            Log.NotShared(_logger, scenario?.Name ?? "(none)", State.Description, e.Message);
        }
    }

    /// <summary>Another instance (or this one: ignored by its mark) set the shared scenario.</summary>
    private void OnShared(SharedScenario shared)
    {
        if (_joined && shared.SetBy != _self)
        {
            Follow(shared);
        }
    }

    private void Follow(SharedScenario shared)
    {
        Scenario? scenario = null;
        if (shared.Yaml is { } yaml)
        {
            var (parsed, problems) = ScenarioLoader.Parse(yaml, shared.Name ?? "shared");
            if (parsed is null)
            {
                Log.SharedInvalid(_logger, shared.Name ?? "(unnamed)", shared.Version, string.Join("; ", problems.Select(p => p.ToString())));
                return;
            }

            scenario = parsed;
        }
        else if (shared.Name is { } name)
        {
            scenario = _files.Find(name);
            if (scenario is null)
            {
                Log.SharedUnknown(_logger, name, shared.Version);
                return;
            }
        }

        lock (_gate)
        {
            if (shared.Version <= _sharedVersion)
            {
                return;
            }

            _sharedVersion = shared.Version;
            _sharedActivation = scenario is null ? null : $"{scenario.Name}#v{shared.Version}";
            _chosen = true;
            Use(scenario, activation: _sharedActivation);
        }

        Changed?.Invoke(scenario);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "Scenario '{Name}' is active here but not shared through {State}: {Reason}")]
        public static partial void NotShared(ILogger logger, string name, string state, string reason);

        [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Shared scenario '{Name}' (version {Version}) not taken: {Problems}")]
        public static partial void SharedInvalid(ILogger logger, string name, long version, string problems);

        [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Shared scenario '{Name}' (version {Version}) has no text and no file of that name is loaded here")]
        public static partial void SharedUnknown(ILogger logger, string name, long version);
    }
}
