using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Rule sources asked in order, the first answer wins: the active scenario first, then the failure-address
/// simulator, so a scenario can still override what an address at <c>smtpmock.test</c> would do.
/// </summary>
internal sealed class ScenarioChain(IScenarioSession first, IScenarioSession then) : IScenarioSession
{
    public async ValueTask<Intervention?> DecideAsync(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence, CancellationToken cancellationToken) =>
        await first.DecideAsync(point, session, command, inSequence, cancellationToken).ConfigureAwait(false)
        ?? await then.DecideAsync(point, session, command, inSequence, cancellationToken).ConfigureAwait(false);
}
