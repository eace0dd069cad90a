using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Session;

/// <summary>
/// The rules one session runs: the responder (hostname, extensions, AUTH) and the scenario that may intervene. Chosen
/// at the start (the active scenario, or the port's), and switched when the session chooses another loaded scenario by
/// its EHLO name or AUTH user (<see cref="ScenarioChoice"/>): from then on it runs those rules alone, with counters of
/// its own.
/// </summary>
internal sealed class SessionScenario
{
    private readonly SessionContext _context;
    private readonly SessionEvents _events;
    private SessionRules _rules;
    private IScenarioSession? _scenario;

    public SessionScenario(SessionRules rules, SessionContext context, SessionEvents events)
    {
        _rules = rules;
        _context = context;
        _events = events;
        Responder = rules.Responder;
        // The one place decisions meet the scenario state: a state that cannot answer refuses that command (451), no more.
        _scenario = rules.OpenScenario?.Invoke() is { } opened ? new ScenarioStateGuard(opened) : null;
        context.Scenario = rules.Scenario;
        context.ScenarioChosenBy = rules.Scenario is null ? null : rules.ChosenBy ?? "active";
    }

    public DefaultResponder Responder { get; private set; }

    /// <summary>A scenario is running (without one, every decision is the server's own).</summary>
    public bool Running => _scenario is not null;

    /// <summary>The scenario's intervention at <paramref name="point"/>, or null (none running, or no rule fired).</summary>
    public ValueTask<Intervention?> DecideAsync(ScenarioPoint point, SmtpCommand? command, bool inSequence, CancellationToken cancellationToken) =>
        _scenario is null ? default : _scenario.DecideAsync(point, _context, command, inSequence, cancellationToken);

    /// <summary>
    /// Switches this session to the loaded scenario <paramref name="name"/>: its presentation (hostname, extensions, AUTH)
    /// and its rules, with counters of its own. False, with a note, when no scenario of that name is loaded.
    /// </summary>
    public bool Choose(string name, string how)
    {
        if (_rules.Choose?.Invoke(name) is not { } chosen)
        {
            _events.Note($"{how} asked for scenario '{name}', which is not loaded");
            return false;
        }

        _rules = chosen;
        Responder = chosen.Responder;
        _scenario = chosen.OpenScenario?.Invoke();
        _context.Scenario = chosen.Scenario;
        _context.ScenarioChosenBy = how;
        _events.Note($"scenario '{chosen.Scenario}' chosen for this session by its {how}");
        return true;
    }
}
