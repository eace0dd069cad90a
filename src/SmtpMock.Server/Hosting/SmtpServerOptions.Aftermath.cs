using SmtpMock.Server.Relay;

namespace SmtpMock.Server.Hosting;

/// <summary>What happens after a message is accepted, and extra ports with scenarios of their own.</summary>
public sealed partial record SmtpServerOptions
{
    /// <summary>
    /// <c>--bounce-to HOST:PORT</c>: the bounces, auto-replies and complaints the server generates are also delivered
    /// there over SMTP (the application's own inbound server), besides being captured; null: captured only.
    /// </summary>
    public RelayTarget? BounceTo { get; init; }

    /// <summary>
    /// Extra ports, each running a loaded scenario for every session on it (<c>--listen PORT=SCENARIO</c>), so tests
    /// sharing one server each connect where their failure lives; the main port keeps the active scenario.
    /// </summary>
    public IReadOnlyList<ScenarioListener> ScenarioListeners { get; init; } = [];
}
