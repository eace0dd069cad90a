using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Testing;

/// <summary>
/// Builds a scenario in C#, for a test that wants its failure next to its assertions instead of in a YAML file.
/// Rules are tried in the order they are added and the first that matches wins, as in a file.
/// </summary>
public sealed class ScenarioBuilder
{
    private readonly List<ScenarioRule> _rules = [];
    private string _name = "inline";

    /// <summary>The scenario's name, shown in transcripts and logs.</summary>
    public ScenarioBuilder Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    /// <summary>
    /// Answers <paramref name="point"/> with <paramref name="code"/>: the enhanced code and text default to the
    /// usual ones for the code (as <c>reply: 503</c> in YAML). <paramref name="nth"/> limits it to the nth time the
    /// point is reached, counted <paramref name="per"/> session, transaction or server.
    /// </summary>
    public ScenarioBuilder Reply(
        ScenarioPoint point,
        int code,
        string? enhanced = null,
        string? text = null,
        int? nth = null,
        CountScope per = CountScope.Session,
        bool close = false)
    {
        // What is not given fits the point (PointReplies): no enhanced code for the greeting and EHLO/HELO, 5.6.0 for
        // a 554 after the final dot.
        var reply = RuleReply.Standard.ForCode(code, [point], enhanced, enhanced is not null, text is null ? null : [text]);
        return Rule(new ScenarioRule
        {
            Name = $"{point.Name().ToLowerInvariant()}-{code}-{_rules.Count + 1}",
            Points = new HashSet<ScenarioPoint> { point },
            When = new RuleConditions { Nth = nth, Per = per },
            Reply = reply,
            Close = close,
        });
    }

    /// <summary>Adds a rule with every option the YAML format has (delays, keys, probabilities, raw bytes).</summary>
    public ScenarioBuilder Rule(ScenarioRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rules.Add(rule);
        return this;
    }

    public Scenario Build() => new(_name, null, null, ServerPresentation.Default, [.. _rules], null);
}
