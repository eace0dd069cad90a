using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Session;

/// <summary>How many times each scenario point was reached in this session and in its open transaction.</summary>
public sealed class PointHits
{
    public int[] Session { get; } = new int[ScenarioPoints.Count];

    public int[] Transaction { get; } = new int[ScenarioPoints.Count];

    internal void ResetTransaction() => Array.Clear(Transaction);
}
