using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests.Faults;

/// <summary>The network-fault keys of a rule (issue #23): what loads, and a precise problem for what does not.</summary>
public class FaultRuleLoadingTests
{
    private static ScenarioRule Rule(string rule)
    {
        var (scenario, problems) = ScenarioLoader.Parse("name: t\nrules:\n  - " + rule.Replace("\n", "\n    ", StringComparison.Ordinal), "test.yaml");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        return scenario!.Rules.Single();
    }

    private static string Problem(string rule)
    {
        var (scenario, problems) = ScenarioLoader.Parse("name: t\nrules:\n  - " + rule.Replace("\n", "\n    ", StringComparison.Ordinal), "test.yaml");
        Assert.That(scenario, Is.Null);
        Assert.That(problems, Has.Count.EqualTo(1), string.Join("\n", problems));
        return problems[0].Message;
    }

    [Test]
    public void Hang_and_reset_may_stand_in_for_the_reply()
    {
        Assert.That(Rule("on: RCPT\nreply: none\nthen: hang").Hang, Is.True);
        Assert.That(Rule("on: RCPT\nreply: none\nthen: reset").Reset, Is.True);
        Assert.That(Rule("on: DATA\nthen: reset"), Has.Property(nameof(ScenarioRule.Reset)).True.And.Property(nameof(ScenarioRule.Close)).False);
    }

    [TestCase("200B/s", 200)]
    [TestCase("2KB/s", 2000)]
    [TestCase("1 MB/s", 1_000_000)]
    [TestCase("5b/s", 5)]
    public void Throttle_reads_a_rate(string text, int rate) =>
        Assert.That(Rule($"on: EHLO\nthrottle: {text}").Throttle, Is.EqualTo(rate));

    [TestCase("0B/s")]
    [TestCase("200")]
    [TestCase("fast")]
    [TestCase("200MB/s")]
    public void Throttle_refuses_what_is_not_a_rate(string text) =>
        Assert.That(Problem($"on: EHLO\nthrottle: {text}"), Does.StartWith("throttle must be a rate such as 200B/s"));

    [Test]
    public void Fragment_and_tls_load()
    {
        Assert.That(Rule("on: CONNECT\nfragment: true").Fragment, Is.True);
        Assert.That(Rule("on: STARTTLS\ntls: fail").Tls, Is.EqualTo(TlsFault.Fail));
        Assert.That(Rule("on: STARTTLS\ntls: old").Tls, Is.EqualTo(TlsFault.Old));
    }

    [Test]
    public void Tls_acts_only_at_starttls() =>
        Assert.That(Problem("on: [EHLO, STARTTLS]\ntls: fail"), Does.Contain("must be 'on: STARTTLS' alone"));

    [Test]
    public void Unknown_tls_then_and_fragment_values_are_named()
    {
        Assert.That(Problem("on: STARTTLS\ntls: broken"), Does.Contain("not 'broken'"));
        Assert.That(Problem("on: RCPT\nthen: explode"), Is.EqualTo("then must be 'continue', 'close', 'hang' or 'reset', not 'explode'"));
        Assert.That(Problem("on: RCPT\nfragment: maybe"), Is.EqualTo("fragment must be true or false, not 'maybe'"));
    }

    [Test]
    public void Reply_none_still_needs_an_end() =>
        Assert.That(Problem("on: RCPT\nreply: none"), Does.Contain("needs 'then: close', 'then: reset' or 'then: hang'"));
}
