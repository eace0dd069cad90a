namespace SmtpMock.Server.Session;

/// <summary>
/// What a session runs with, taken once when it starts: the server's own responder (presented as the active
/// scenario says) and, when a scenario is active, a way to open its per-session view. A scenario changed later applies
/// to new sessions; a session in progress keeps the rules it began with.
/// </summary>
internal sealed record SessionRules(DefaultResponder Responder, Func<IScenarioSession>? OpenScenario)
{
    /// <summary>The name of the scenario these rules run, or null for none.</summary>
    public string? Scenario { get; init; }

    /// <summary>How a session came to these rules (<see cref="SessionContext.ScenarioChosenBy"/>).</summary>
    public string? ChosenBy { get; init; }

    /// <summary>
    /// The rules of another loaded scenario by name, for one session that asks for it (an EHLO name or an AUTH user),
    /// or null when none is loaded with that name; null when sessions cannot choose.
    /// </summary>
    public Func<string, SessionRules?>? Choose { get; init; }

    /// <summary>The correct, strict server with no scenario.</summary>
    public static SessionRules Plain(SessionOptions options) => new(new DefaultResponder(options), null);
}
