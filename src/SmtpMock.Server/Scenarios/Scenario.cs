using System.Text.RegularExpressions;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>A loaded, validated scenario: how the server presents itself and where it misbehaves.</summary>
public sealed record Scenario(
    string Name,
    string? Description,
    int? Seed,
    ServerPresentation Server,
    IReadOnlyList<ScenarioRule> Rules,
    string? SourcePath)
{
    /// <summary>The <c>auth:</c> section, or null to keep the server's AUTH settings.</summary>
    public ScenarioAuth? Auth { get; init; }

    /// <summary>The YAML it was read from, or null for one built in code: what instances sharing a state pass each other.</summary>
    public string? Yaml { get; init; }
}

/// <summary>The <c>server:</c> section: overrides of the hostname, the greeting text and the EHLO extensions.</summary>
public sealed record ServerPresentation(string? Hostname, string? Greeting, IReadOnlyList<string>? Extensions)
{
    public static readonly ServerPresentation Default = new(null, null, null);
}

/// <summary>How <c>nth</c> counts: within the transaction, the session, or the whole server.</summary>
public enum CountScope
{
    Session,
    Transaction,
    Server,
}

/// <summary>Whether a rule fires at a command the state table accepts, refuses as out of sequence, or either.</summary>
public enum SequenceCondition
{
    /// <summary>The default: only where the command is in sequence, as a real server checks order before policy.</summary>
    In,

    /// <summary>Only where the server would answer 503 (to answer a bad sequence some other way).</summary>
    Out,

    /// <summary>Wherever the command comes (a server that lies about the sequence).</summary>
    Any,
}

/// <summary>A part of the key that <c>times</c> is counted for.</summary>
public enum KeyPart
{
    Client,
    Sender,
    Recipient,
    Helo,
}

/// <summary>What a rule sends: a reply, nothing, or raw bytes.</summary>
public abstract record RuleReply
{
    /// <summary>
    /// A well-formed reply. A rule that gave only a code, at several points, sends at each point the enhanced code
    /// and text that fit there (<see cref="ByPoint"/>, from <see cref="PointReplies"/>); <see cref="Reply"/> is the
    /// one it sends elsewhere.
    /// </summary>
    public sealed record Standard(SmtpReply Reply) : RuleReply
    {
        /// <summary>The reply at a point where it differs from <see cref="Reply"/>; null when it is the same everywhere.</summary>
        public IReadOnlyDictionary<ScenarioPoint, SmtpReply>? ByPoint { get; init; }

        /// <summary>What the rule sends at <paramref name="point"/>.</summary>
        public SmtpReply At(ScenarioPoint point) => ByPoint is { } byPoint && byPoint.TryGetValue(point, out var reply) ? reply : Reply;

        /// <summary>
        /// The reply for a rule that gives <paramref name="code"/>, and maybe an enhanced code and text, at
        /// <paramref name="points"/>: what is not given is taken, point by point, from <see cref="PointReplies"/>.
        /// </summary>
        public static Standard ForCode(int code, IReadOnlyCollection<ScenarioPoint> points, string? enhanced = null, bool enhancedGiven = false, IReadOnlyList<string>? text = null)
        {
            SmtpReply Make(ScenarioPoint point) => new(
                code,
                code / 100 == 3 ? null : enhancedGiven ? enhanced : PointReplies.EnhancedFor(point, code),
                text ?? [PointReplies.TextFor(point, code)]);

            var first = points.Count > 0 ? points.Min() : ScenarioPoint.Any;
            var reply = Make(first);
            var byPoint = points.Select(p => (Point: p, Reply: Make(p))).Where(p => !p.Reply.Equals(reply)).ToDictionary(p => p.Point, p => p.Reply);
            return new Standard(reply) { ByPoint = byPoint.Count == 0 ? null : byPoint };
        }
    }

    /// <summary><c>reply: none</c>: say nothing (only with <c>then: close</c>).</summary>
    public sealed record Silence : RuleReply;

    /// <summary><c>raw:</c> these bytes, exactly, even if they are not a valid reply.</summary>
    public sealed record Raw(byte[] Bytes) : RuleReply;
}

/// <summary>The <c>when:</c> conditions; every one given must hold.</summary>
public sealed record RuleConditions
{
    public int? Nth { get; init; }

    public CountScope Per { get; init; } = CountScope.Session;

    public SessionSelector? Session { get; init; }

    public Regex? Argument { get; init; }

    public Regex? Sender { get; init; }

    public Regex? Recipient { get; init; }

    public string? Parameter { get; init; }

    public double? Probability { get; init; }

    /// <summary><c>tls:</c> true fires only over TLS, false only in plaintext.</summary>
    public bool? Tls { get; init; }

    /// <summary><c>mechanism:</c> the AUTH exchange's SASL mechanism name (upper case), e.g. <c>PLAIN</c>.</summary>
    public string? Mechanism { get; init; }

    /// <summary><c>user:</c> a glob on the AUTH user name, known once the client has sent it.</summary>
    public Regex? User { get; init; }

    /// <summary><c>sequence:</c> in (default), out or any.</summary>
    public SequenceCondition Sequence { get; init; }
}

/// <summary>Which connections a rule applies to: numbers and ranges of the server's connection count.</summary>
public sealed record SessionSelector(IReadOnlyList<(long From, long To)> Ranges)
{
    public bool Contains(long session) => Ranges.Any(r => session >= r.From && session <= r.To);
}

/// <summary>One rule: the points it watches, its conditions and what it does when they hold.</summary>
public sealed record ScenarioRule
{
    public required string Name { get; init; }

    public required IReadOnlySet<ScenarioPoint> Points { get; init; }

    public RuleConditions When { get; init; } = new();

    /// <summary>Null: the server's own reply (a rule may only delay or close).</summary>
    public RuleReply? Reply { get; init; }

    public TimeSpan Delay { get; init; }

    /// <summary><c>then: close</c>: close the connection after the reply.</summary>
    public bool Close { get; init; }

    /// <summary><c>then: hang</c>: after the reply (or with <c>reply: none</c>), read and discard, never answer or close.</summary>
    public bool Hang { get; init; }

    /// <summary><c>then: reset</c>: close with a TCP RST after the reply.</summary>
    public bool Reset { get; init; }

    /// <summary><c>throttle: 200B/s</c>: the session's replies from this one on, paced to this many octets a second.</summary>
    public int? Throttle { get; init; }

    /// <summary><c>fragment: true</c>: the session's replies from this one on, a few octets per write.</summary>
    public bool Fragment { get; init; }

    /// <summary><c>tls: fail</c> or <c>tls: old</c> at STARTTLS.</summary>
    public TlsFault Tls { get; init; }

    /// <summary>Fire at most this many times (for each distinct <see cref="Key"/>).</summary>
    public int? Times { get; init; }

    public IReadOnlyList<KeyPart> Key { get; init; } = [];

    /// <summary>
    /// <c>for:</c> after a keyed rule has used its <see cref="Times"/>, it fires again on a retry that comes within this
    /// long of its first firing for that key (greylisting: a retry that comes too soon is refused again).
    /// </summary>
    public TimeSpan? RetryWindow { get; init; }

    /// <summary>The 1-based line of the rule in its file, for messages.</summary>
    public int Line { get; init; }

    /// <summary><c>after:</c> on a MESSAGE rule: a bounce, auto-reply or complaint sent back later about the accepted message.</summary>
    internal Aftermath.AftermathPlan? After { get; init; }
}
