using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// The active scenario as every instance sharing the state sees it: an activation here (an API PUT, a file reload)
/// is written to the state with a new version, and a newer version written by another instance is activated here. A
/// shared scenario's counters live under <c>NAME#vVERSION</c>, the same activation on every instance, so "the third
/// RCPT" counts across all of them. A state that does not answer leaves the activation local, with a warning.
/// </summary>
internal sealed partial class ScenarioSharing(IScenarioState state, ScenarioActivation activation, Func<string, Scenario?> find, string self, Action<Scenario?> changed, ILogger logger)
{
    private volatile bool _joined;

    /// <summary>
    /// Joins the instances sharing the state: follows the scenario they share, or, when none has been shared yet, shares
    /// this one's. Before this, activations stay local (so a starting instance never overrides the scenario the others run).
    /// </summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        SharedScenario? shared;
        try
        {
            shared = await state.GetScenarioAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            Log.NotShared(logger, activation.Active?.Name ?? "(none)", state.Description, e.Message);
            _joined = true;
            return;
        }

        _joined = true;
        if (shared is null)
        {
            await ShareAsync(activation.Active).ConfigureAwait(false);
        }
        else
        {
            Follow(shared);
        }
    }

    /// <summary>This instance activated <paramref name="scenario"/>: the others follow (once joined).</summary>
    public void Share(Scenario? scenario)
    {
        if (_joined)
        {
            _ = ShareAsync(scenario);
        }
    }

    /// <summary>Another instance (or this one: ignored by its mark) set the shared scenario.</summary>
    public void OnShared(SharedScenario shared)
    {
        if (_joined && shared.SetBy != self)
        {
            Follow(shared);
        }
    }

    private async Task ShareAsync(Scenario? scenario)
    {
        try
        {
            var shared = await state.SetScenarioAsync(scenario?.Name, scenario?.Yaml, self, CancellationToken.None).ConfigureAwait(false);
            activation.Shared(scenario, shared.Version);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            Log.NotShared(logger, scenario?.Name ?? "(none)", state.Description, e.Message);
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
                Log.SharedInvalid(logger, shared.Name ?? "(unnamed)", shared.Version, string.Join("; ", problems.Select(p => p.ToString())));
                return;
            }

            scenario = parsed;
        }
        else if (shared.Name is { } name)
        {
            scenario = find(name);
            if (scenario is null)
            {
                Log.SharedUnknown(logger, name, shared.Version);
                return;
            }
        }

        if (activation.Follow(scenario, shared.Version))
        {
            changed(scenario);
        }
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
