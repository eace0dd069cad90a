using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Loaded scenarios other than the active one, for the sessions that ask for one (an EHLO name, an AUTH user) and for
/// the ports that run one (<c>--listen PORT=SCENARIO</c>). Each gets an engine of its own, made on first use and made
/// again when its file changes, so what it counts is shared by every session that runs it and by no other.
/// </summary>
public sealed partial class ScenarioHost
{
    private readonly Dictionary<string, (Scenario Scenario, SessionRules Rules)> _byName = new(StringComparer.Ordinal);

    /// <summary>Whether a scenario with this name is loaded (for a port that must run it).</summary>
    public bool IsLoaded(string name) => _files.Find(name) is not null;

    /// <summary>The rules of the loaded scenario <paramref name="name"/>, or null when none is loaded with that name.</summary>
    internal SessionRules? RulesFor(string name)
    {
        if (_files.Find(name) is not { } scenario)
        {
            return null;
        }

        lock (_gate)
        {
            if (!_byName.TryGetValue(scenario.Name, out var kept) || !ReferenceEquals(kept.Scenario, scenario))
            {
                var activation = $"{scenario.Name}@chosen#{Interlocked.Increment(ref _activations)}";
                kept = (scenario, Choosing(ScenarioRules.For(_options, scenario, State, _simulator, activation, out _) with { Scenario = scenario.Name }));
                _byName[scenario.Name] = kept;
            }

            return kept.Rules;
        }
    }

    /// <summary>Rules that let a session choose another loaded scenario.</summary>
    private SessionRules Choosing(SessionRules rules) => rules with { Choose = RulesFor };
}
