using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Rule sources asked in order, the first answer wins: the active scenario first, then the failure-address
/// simulator, so a scenario can still override what an address at <c>smtpmock.test</c> would do.
/// </summary>
internal sealed class ScenarioChain(IScenarioSession first, IScenarioSession then) : IScenarioSession
{
    public Intervention? Decide(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence) =>
        first.Decide(point, session, command, inSequence) ?? then.Decide(point, session, command, inSequence);
}
