using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Session;

/// <summary>
/// The one seam between a session and the scenario active when it started: asked at every point, it answers with the
/// rule that fires there, if any. It reads the session's facts and writes none of them. Asynchronous because a
/// decision may need shared state (a counter on another machine); in memory it completes at once.
/// </summary>
internal interface IScenarioSession
{
    /// <param name="point">Where the session is.</param>
    /// <param name="session">The session's facts (read only).</param>
    /// <param name="command">The command at a command point; null at CONNECT and MESSAGE.</param>
    /// <param name="inSequence">False when the state table refuses the command as out of sequence.</param>
    /// <param name="cancellationToken">The session's deadline and the server's shutdown.</param>
    ValueTask<Intervention?> DecideAsync(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence, CancellationToken cancellationToken);
}
