using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Decides, at each point of a session, whether a rule of the scenario fires. Rules are tried in file order and
/// the first that matches wins; a rule whose conditions fail costs nothing (no counter of its own moves, no
/// random number is drawn). Shared by every session of the server: counters per server, per key and the seeded
/// random sequence live here.
/// </summary>
internal sealed class ScenarioEngine
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly long[] _serverHits = new long[ScenarioPoints.Count];
    private readonly Dictionary<(int Rule, string Key), KeyState> _keys = [];
    private readonly Dictionary<int, int> _fired = [];

    public ScenarioEngine(Scenario scenario, TimeProvider clock)
    {
        Scenario = scenario;
        _clock = clock;
        _random = scenario.Seed is { } seed ? new Random(seed) : new Random();
    }

    public Scenario Scenario { get; }

    /// <summary>
    /// Keys remembered for <c>times</c>/<c>key</c> rules; past it the older half is forgotten (a client inventing a
    /// new recipient per RCPT cannot grow the server without bound).
    /// </summary>
    internal int MaxKeys { get; init; } = 100_000;

    /// <summary>The engine as one session sees it, with that session's own counters.</summary>
    public IScenarioSession OpenSession() => new SessionView(this);

    /// <summary>
    /// Counts that <paramref name="point"/> was reached and returns the first rule that fires there, if any.
    /// By default a rule fires only at a command that is in sequence: a real server checks the order before any
    /// policy, so a rule asks explicitly (<c>sequence: out</c> or <c>any</c>) to answer an out-of-sequence command.
    /// </summary>
    private Intervention? Decide(PointHits hits, ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence)
    {
        var isCommand = point is not (ScenarioPoint.Connect or ScenarioPoint.Message);
        if (point == ScenarioPoint.Mail)
        {
            // A transaction starts at MAIL: what was counted since the last one ended (a RCPT refused for want of
            // a transaction, say) belongs to no transaction.
            hits.ResetTransaction();
        }

        Count(hits, point);
        if (isCommand)
        {
            Count(hits, ScenarioPoint.Any);
        }

        lock (_gate)
        {
            for (var i = 0; i < Scenario.Rules.Count; i++)
            {
                var rule = Scenario.Rules[i];
                var counted = rule.Points.Contains(point) ? point
                    : isCommand && rule.Points.Contains(ScenarioPoint.Any) ? ScenarioPoint.Any
                    : (ScenarioPoint?)null;
                if (counted is null || !InSequence(rule.When.Sequence, inSequence) || !Matches(hits, rule.When, counted.Value, point, session, command) || !UseTimes(i, rule, session, command))
                {
                    continue;
                }

                if (rule.When.Probability is { } p && _random.NextDouble() >= p)
                {
                    continue;
                }

                _fired[i] = _fired.GetValueOrDefault(i) + 1;
                return new Intervention(rule.Name, rule.Line)
                {
                    Reply = (rule.Reply as RuleReply.Standard)?.At(point),
                    Raw = (rule.Reply as RuleReply.Raw)?.Bytes,
                    Silent = rule.Reply is RuleReply.Silence,
                    Delay = rule.Delay,
                    Close = rule.Close,
                };
            }
        }

        return null;
    }

    /// <summary>How many keys are remembered now.</summary>
    internal int KeyCount
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>How many times each rule (by index) has fired.</summary>
    public IReadOnlyDictionary<int, int> Fired
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<int, int>(_fired);
            }
        }
    }

    private static bool InSequence(SequenceCondition condition, bool inSequence) => condition switch
    {
        SequenceCondition.Any => true,
        SequenceCondition.Out => !inSequence,
        _ => inSequence,
    };

    private void Count(PointHits hits, ScenarioPoint point)
    {
        hits.Session[(int)point]++;
        hits.Transaction[(int)point]++;
        Interlocked.Increment(ref _serverHits[(int)point]);
    }

    private bool Matches(PointHits hits, RuleConditions when, ScenarioPoint counted, ScenarioPoint point, SessionContext session, SmtpCommand? command)
    {
        if (when.Session is { } sessions && !sessions.Contains(session.Id))
        {
            return false;
        }

        if (when.Nth is { } nth)
        {
            var count = when.Per switch
            {
                CountScope.Transaction => hits.Transaction[(int)counted],
                CountScope.Server => Interlocked.Read(ref _serverHits[(int)counted]),
                _ => hits.Session[(int)counted],
            };
            if (count != nth)
            {
                return false;
            }
        }

        if (when.Argument is { } argument && (command is null || !argument.IsMatch(command.Argument)))
        {
            return false;
        }

        if (when.Sender is { } sender)
        {
            var address = point == ScenarioPoint.Mail ? command?.Path?.Address : session.Sender?.Address;
            if (address is null || !sender.IsMatch(address))
            {
                return false;
            }
        }

        if ((when.Tls is { } tls && session.IsSecure != tls)
            || (when.Mechanism is { } mechanism && !string.Equals(session.AuthMechanism, mechanism, StringComparison.OrdinalIgnoreCase))
            || (when.User is { } user && (session.AuthUser is null || !user.IsMatch(session.AuthUser))))
        {
            return false;
        }

        if (when.Recipient is { } recipient)
        {
            var matched = point == ScenarioPoint.Rcpt
                ? command?.Path is { } path && recipient.IsMatch(path.Address)
                : session.Recipients.Any(r => recipient.IsMatch(r.Address));
            if (!matched)
            {
                return false;
            }
        }

        return when.Parameter is not { } keyword || (command?.Parameters.Any(p => p.Keyword == keyword) ?? false);
    }

    private bool UseTimes(int index, ScenarioRule rule, SessionContext session, SmtpCommand? command)
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
        var now = _clock.GetUtcNow();
        if (!_keys.TryGetValue((index, key), out var state))
        {
            if (_keys.Count >= MaxKeys)
            {
                foreach (var old in _keys.OrderBy(k => k.Value.FirstFired).Take(_keys.Count / 2).Select(k => k.Key).ToList())
                {
                    _keys.Remove(old);
                }
            }

            state = new KeyState(now);
            _keys[(index, key)] = state;
        }

        if (state.Count < times)
        {
            state.Count++;
            return true;
        }

        return rule.RetryWindow is { } window && now - state.FirstFired < window;
    }

    private sealed class KeyState(DateTimeOffset firstFired)
    {
        public DateTimeOffset FirstFired { get; } = firstFired;

        public int Count { get; set; }
    }

    /// <summary>How many times each point was reached in one session and in its open transaction.</summary>
    private sealed class PointHits
    {
        private int _transactionResets;

        public int[] Session { get; } = new int[ScenarioPoints.Count];

        public int[] Transaction { get; } = new int[ScenarioPoints.Count];

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

        public Intervention? Decide(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence)
        {
            _hits.Sync(session);
            return engine.Decide(_hits, point, session, command, inSequence);
        }
    }
}
