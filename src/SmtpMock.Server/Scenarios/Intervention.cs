namespace SmtpMock.Server.Scenarios;

/// <summary>What a rule that fired asks of the session: its reply (null: the server's own), a delay, a close.</summary>
public sealed record Intervention(ScenarioRule Rule, RuleReply? Reply, TimeSpan Delay, bool Close);
