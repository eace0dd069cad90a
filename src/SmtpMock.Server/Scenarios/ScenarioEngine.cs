using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Decides, at each point of a session, whether a rule of the scenario fires. Rules are tried in file order and the
/// first that matches wins; a rule whose conditions fail costs nothing (no counter moves, no draw is made). What
/// outlives a session (counters <c>per: server</c>, keys for <c>times</c>, the seeded draws) lives in the
/// <see cref="IScenarioState"/>, under this activation's own prefix; the engine keeps only how often each rule fired
/// here. A point no <c>per: server</c> rule watches never touches the state.
/// </summary>
internal sealed class ScenarioEngine
{
    /// <summary>How long a key of a <c>times</c> rule is remembered beyond its retry window.</summary>
    internal static readonly TimeSpan KeyKept = TimeSpan.FromDays(1);

    private readonly IScenarioState _state;
    private readonly TimeProvider _clock;
    private readonly string _prefix;
    private readonly bool[] _serverCounted = new bool[ScenarioPoints.Count];
    private readonly long[] _fired;

    public ScenarioEngine(Scenario scenario, TimeProvider clock, IScenarioState state, string activation)
    {
        Scenario = scenario;
        _clock = clock;
        _state = state;
        _prefix = $"{activation}:";
        _fired = new long[scenario.Rules.Count];
        foreach (var rule in scenario.Rules.Where(r => r.When is { Nth: not null, Per: CountScope.Server }))
        {
            foreach (var point in rule.Points)
            {
                _serverCounted[(int)point] = true;
            }
        }
    }

    public Scenario Scenario { get; }

    /// <summary>The engine as one session sees it, with that session's own counters.</summary>
    public IScenarioSession OpenSession() => new SessionView(this);

    /// <summary>How many times each rule (by index) has fired on this instance since the scenario became active.</summary>
    public IReadOnlyDictionary<int, int> Fired =>
        Enumerable.Range(0, _fired.Length).Where(i => Volatile.Read(ref _fired[i]) > 0).ToDictionary(i => i, i => (int)Volatile.Read(ref _fired[i]));

    /// <summary>
    /// Counts that <paramref name="point"/> was reached and returns the first rule that fires there, if any. By default a
    /// rule fires only at a command that is in sequence: a real server checks the order before any policy, so a rule asks
    /// explicitly (<c>sequence: out</c> or <c>any</c>) to answer an out-of-sequence command.
    /// </summary>
    private async ValueTask<Intervention?> DecideAsync(PointHits hits, ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence, CancellationToken cancellationToken)
    {
        var isCommand = point is not (ScenarioPoint.Connect or ScenarioPoint.Message);
        if (point == ScenarioPoint.Mail)
        {
            // A transaction starts at MAIL: what was counted since the last one ended (a RCPT refused for want of
            // a transaction, say) belongs to no transaction.
            hits.ResetTransaction();
        }

        hits.Count(point);
        if (isCommand)
        {
            hits.Count(ScenarioPoint.Any);
        }

        // Shared counts, only where a rule counts per server: one state call each, none for other points.
        var serverAtPoint = _serverCounted[(int)point] ? await _state.IncrementAsync(_prefix + "point:" + point.Name(), cancellationToken).ConfigureAwait(false) : 0;
        var serverAtAny = isCommand && _serverCounted[(int)ScenarioPoint.Any] ? await _state.IncrementAsync(_prefix + "point:ANY", cancellationToken).ConfigureAwait(false) : 0;

        for (var i = 0; i < Scenario.Rules.Count; i++)
        {
            var rule = Scenario.Rules[i];
            var counted = rule.Points.Contains(point) ? point
                : isCommand && rule.Points.Contains(ScenarioPoint.Any) ? ScenarioPoint.Any
                : (ScenarioPoint?)null;
            if (counted is null || !InSequence(rule.When.Sequence, inSequence))
            {
                continue;
            }

            var serverCount = counted == ScenarioPoint.Any ? serverAtAny : serverAtPoint;
            if (!RuleMatches.Holds(rule.When, hits, serverCount, counted.Value, point, session, command)
                || !await UseTimesAsync(i, rule, session, command, cancellationToken).ConfigureAwait(false)
                || !await DrawAsync(i, rule, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            Interlocked.Increment(ref _fired[i]);
            return new Intervention(rule.Name, rule.Line)
            {
                Reply = (rule.Reply as RuleReply.Standard)?.At(point),
                Raw = (rule.Reply as RuleReply.Raw)?.Bytes,
                Silent = rule.Reply is RuleReply.Silence,
                Delay = rule.Delay,
                Close = rule.Close,
                After = point == ScenarioPoint.Message ? rule.After : null,
                Hang = rule.Hang,
                Reset = rule.Reset,
                Throttle = rule.Throttle,
                Fragment = rule.Fragment,
                Tls = rule.Tls,
            };
        }

        return null;
    }

    private static bool InSequence(SequenceCondition condition, bool inSequence) => condition switch
    {
        SequenceCondition.Any => true,
        SequenceCondition.Out => !inSequence,
        _ => inSequence,
    };

    /// <summary><c>times</c> per key: fires for the first N hits of a key, then only on a retry within <c>for</c> of its first.</summary>
    private async ValueTask<bool> UseTimesAsync(int index, ScenarioRule rule, SessionContext session, SmtpCommand? command, CancellationToken cancellationToken)
    {
        if (rule.Times is not { } times)
        {
            return true;
        }

        var key = string.Join('\n', rule.Key.Select(part => part switch
        {
            KeyPart.Client => (session.Client as System.Net.IPEndPoint)?.Address.ToString() ?? session.ClientText,
            KeyPart.Sender => session.Sender?.Address ?? (command?.Verb == SmtpVerb.Mail ? command.Path?.Address : null) ?? string.Empty,
            KeyPart.Recipient => command?.Verb == SmtpVerb.Rcpt ? command.Path?.Address ?? string.Empty : string.Join(',', session.Recipients.Select(r => r.Address)),
            _ => session.HeloName ?? string.Empty,
        }));
        var hits = await _state.HitAsync($"{_prefix}rule:{index}:{key}", KeyKept + (rule.RetryWindow ?? TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
        return hits.Count <= times || (rule.RetryWindow is { } window && _clock.GetUtcNow() - hits.FirstSeen < window);
    }

    /// <summary>
    /// A <c>probability</c>: with the scenario's seed, the nth draw of a rule is a function of the seed, the rule and n (n
    /// counted in the state), so the same sequence comes on every run and on whichever instance a session lands;
    /// without a seed, a random draw.
    /// </summary>
    private async ValueTask<bool> DrawAsync(int index, ScenarioRule rule, CancellationToken cancellationToken)
    {
        if (rule.When.Probability is not { } p)
        {
            return true;
        }

        if (Scenario.Seed is not { } seed)
        {
            return Random.Shared.NextDouble() < p;
        }

        var n = await _state.IncrementAsync($"{_prefix}draw:{index}", cancellationToken).ConfigureAwait(false);
        return SeededDraw.Uniform(seed, index, n) < p;
    }

    /// <summary>How many times each point was reached in one session and in its open transaction.</summary>
    internal sealed class PointHits
    {
        private int _transactionResets;

        public int[] Session { get; } = new int[ScenarioPoints.Count];

        public int[] Transaction { get; } = new int[ScenarioPoints.Count];

        public void Count(ScenarioPoint point)
        {
            Session[(int)point]++;
            Transaction[(int)point]++;
        }

        /// <summary>Forgets the transaction's counts when the session has ended or dropped a transaction since.</summary>
        public void Sync(SessionContext session)
        {
            if (session.TransactionResets != _transactionResets)
            {
                _transactionResets = session.TransactionResets;
                ResetTransaction();
            }
        }

        public void ResetTransaction() => Array.Clear(Transaction);
    }

    private sealed class SessionView(ScenarioEngine engine) : IScenarioSession
    {
        private readonly PointHits _hits = new();

        public ValueTask<Intervention?> DecideAsync(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence, CancellationToken cancellationToken)
        {
            _hits.Sync(session);
            return engine.DecideAsync(_hits, point, session, command, inSequence, cancellationToken);
        }
    }
}
