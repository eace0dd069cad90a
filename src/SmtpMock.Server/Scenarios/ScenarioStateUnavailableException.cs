namespace SmtpMock.Server.Scenarios;

/// <summary>
/// An <see cref="IScenarioState"/> could not answer (its engine is down or too slow). A session answers the command
/// whose rule needed the state with <c>451 4.3.0</c> naming <see cref="State"/> (the client retries later) and goes on;
/// nothing else about the session or the server changes.
/// </summary>
public sealed class ScenarioStateUnavailableException : Exception
{
    public ScenarioStateUnavailableException()
        : this("scenario state", "the scenario state is unavailable", null)
    {
    }

    public ScenarioStateUnavailableException(string message)
        : this("scenario state", message, null)
    {
    }

    public ScenarioStateUnavailableException(string message, Exception? innerException)
        : this("scenario state", message, innerException)
    {
    }

    /// <param name="state">Where the state lives (<see cref="IScenarioState.Description"/>: never a password).</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The engine client's own error.</param>
    public ScenarioStateUnavailableException(string state, string message, Exception? innerException)
        : base(message, innerException)
    {
        State = state;
    }

    /// <summary>Where the state lives, as a client may be told (<c>redis://host:port</c>).</summary>
    public string State { get; }
}
