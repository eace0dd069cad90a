namespace SmtpMock.Server.Session;

/// <summary>A session that chooses its own scenario (<see cref="ScenarioChoice"/>): from then on it runs those rules alone.</summary>
internal sealed partial class SmtpSession
{
    /// <summary>
    /// Switches this session to the loaded scenario <paramref name="name"/>: its presentation (hostname, extensions, AUTH)
    /// and its rules, with counters of its own. False, with a note, when no scenario of that name is loaded.
    /// </summary>
    private bool Choose(string name, string how)
    {
        if (_rules.Choose?.Invoke(name) is not { } chosen)
        {
            Note($"{how} asked for scenario '{name}', which is not loaded");
            return false;
        }

        _rules = chosen;
        _responder = chosen.Responder;
        _scenario = chosen.OpenScenario?.Invoke();
        Context.Scenario = chosen.Scenario;
        Context.ScenarioChosenBy = how;
        Note($"scenario '{chosen.Scenario}' chosen for this session by its {how}");
        return true;
    }
}
