using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Session;

/// <summary>
/// Where a session meets a scenario state that cannot answer: the decision becomes a temporary refusal of that one
/// command (<c>451 4.3.0</c>; the greeting <c>421</c>, which closes, as RFC 5321 §3.1 allows nothing else there) and
/// the session goes on, so a client retries and an outage never ends a session or the server. A decision that
/// completes at once (every one in memory) passes through without an await.
/// </summary>
internal sealed class ScenarioStateGuard(IScenarioSession inner) : IScenarioSession
{
    /// <summary>The rule name the transcript and the events show for such a refusal.</summary>
    public const string RuleName = "scenario state unavailable";

    public ValueTask<Intervention?> DecideAsync(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence, CancellationToken cancellationToken)
    {
        var decision = inner.DecideAsync(point, session, command, inSequence, cancellationToken);
        return decision.IsCompletedSuccessfully ? decision : GuardAsync(decision, point);
    }

    /// <summary>The refusal for a command at <paramref name="point"/> when the state at <paramref name="state"/> is down.</summary>
    public static Intervention Refusal(ScenarioPoint point, string state) => new(RuleName, 0)
    {
        Reply = point == ScenarioPoint.Connect
            ? StandardReplies.ScenarioStateClosing(state)
            : StandardReplies.ScenarioStateUnavailable(state, enhanced: !PointReplies.CarriesNoEnhancedCode(point)),
    };

    private static async ValueTask<Intervention?> GuardAsync(ValueTask<Intervention?> decision, ScenarioPoint point)
    {
        try
        {
            return await decision.ConfigureAwait(false);
        }
        catch (ScenarioStateUnavailableException e)
        {
            return Refusal(point, e.State);
        }
    }
}
