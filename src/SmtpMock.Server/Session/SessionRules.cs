namespace SmtpMock.Server.Session;

/// <summary>
/// What a session runs with, taken once when it starts: the server's own responder (presented as the active
/// scenario says) and, when a scenario is active, a way to open its per-session view. A scenario changed later applies
/// to new sessions; a session in progress keeps the rules it began with.
/// </summary>
internal sealed record SessionRules(DefaultResponder Responder, Func<IScenarioSession>? OpenScenario)
{
    /// <summary>The correct, strict server with no scenario.</summary>
    public static SessionRules Plain(SessionOptions options) => new(new DefaultResponder(options), null);
}
