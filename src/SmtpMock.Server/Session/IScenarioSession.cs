using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Session;

/// <summary>
/// The one seam between a session and the scenario active when it started: asked at every point, it answers with
/// the rule that fires there, if any. It reads the session's facts and writes none of them.
/// </summary>
internal interface IScenarioSession
{
    /// <param name="point">Where the session is.</param>
    /// <param name="session">The session's facts (read only).</param>
    /// <param name="command">The command at a command point; null at CONNECT and MESSAGE.</param>
    /// <param name="inSequence">False when the state table refuses the command as out of sequence.</param>
    Intervention? Decide(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence);
}
