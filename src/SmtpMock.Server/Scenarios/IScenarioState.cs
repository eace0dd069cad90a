namespace SmtpMock.Server.Scenarios;

/// <summary>A key's hits so far (the one just recorded included) and when it was first seen.</summary>
public readonly record struct KeyHits(long Count, DateTimeOffset FirstSeen);

/// <summary>
/// The scenario every instance sharing a state follows: its YAML (null for none: a correct server), who set it and a
/// version that grows with each change (so an instance can tell a newer choice from one it already applied).
/// </summary>
public sealed record SharedScenario(string? Name, string? Yaml, string SetBy, long Version);

/// <summary>
/// What scenarios remember across sessions: counters (<c>nth</c> with <c>per: server</c>, seeded draws) and keys with
/// the time they were first seen (greylisting windows, <c>times</c> per key), each key forgotten after the time it is
/// kept for. The scenario engine and the failure addresses keep their state here and nowhere else, so sessions on
/// several instances count as one when the state is shared (Redis), and "reset" is one operation on it. Every call
/// is atomic on its own; the engine asks only for rules that need it, so a command no counted rule watches costs
/// nothing here.
/// </summary>
public interface IScenarioState : IAsyncDisposable
{
    /// <summary>Adds one to <paramref name="counter"/> and returns the new count (1 the first time).</summary>
    ValueTask<long> IncrementAsync(string counter, CancellationToken cancellationToken);

    /// <summary>
    /// Records a hit on <paramref name="key"/>: the first one sets its first-seen time to now and keeps the key for
    /// <paramref name="keep"/>; later ones count. Returns the hits so far and the first-seen time.
    /// </summary>
    ValueTask<KeyHits> HitAsync(string key, TimeSpan keep, CancellationToken cancellationToken);

    /// <summary>Forgets every counter and key: counting starts again everywhere the state is shared.</summary>
    ValueTask ResetAsync(CancellationToken cancellationToken);

    /// <summary>Where the state lives, for the console and the API (<c>memory</c>, <c>redis://host:port</c>).</summary>
    string Description { get; }

    /// <summary>The scenario instances sharing this state follow, or null when none has set one yet.</summary>
    ValueTask<SharedScenario?> GetScenarioAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the scenario <paramref name="name"/> with the text <paramref name="yaml"/> (both null: none) the one every
    /// instance sharing this state follows (its version is set here: one more than the last); returns it as stored. <see cref="ScenarioChanged"/> is raised on every instance.
    /// </summary>
    ValueTask<SharedScenario> SetScenarioAsync(string? name, string? yaml, string setBy, CancellationToken cancellationToken);

    /// <summary>Raised when the shared scenario changed (by this instance or another), on a thread of the state's.</summary>
    event Action<SharedScenario>? ScenarioChanged;
}
