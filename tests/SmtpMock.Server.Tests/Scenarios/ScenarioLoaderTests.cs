using SmtpMock.Server.Session;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>One negative test per validation rule, each checking the line and column reported.</summary>
public class ScenarioLoaderTests
{
    private static IReadOnlyList<ScenarioProblem> Problems(string yaml)
    {
        var (scenario, problems) = ScenarioLoader.Parse(yaml, "test.yaml");
        Assert.That(scenario, Is.Null, "a file with problems yields no scenario");
        return problems;
    }

    private static void AssertSingleProblem(string yaml, int line, int column, string contains)
    {
        var problems = Problems(yaml);
        Assert.That(problems, Has.Count.EqualTo(1), string.Join("\n", problems));
        Assert.That(problems[0].Line, Is.EqualTo(line));
        Assert.That(problems[0].Column, Is.EqualTo(column));
        Assert.That(problems[0].Message, Does.Contain(contains));
        Assert.That(problems[0].ToString(), Does.StartWith($"test.yaml:{line}:{column}: "));
    }

    [Test]
    public void Loads_the_example_of_the_format()
    {
        var yaml = """
            name: rcpt-bad-sequence
            description: The second RCPT TO of every transaction is answered 503.
            seed: 42
            server:
              hostname: mx.example.test
              greeting: mx.example.test ESMTP ready
              extensions: [PIPELINING, SIZE 10485760, 8BITMIME, ENHANCEDSTATUSCODES]
            rules:
              - name: second-rcpt
                on: RCPT
                when:
                  nth: 2
                  per: transaction
                  session: 1
                  argument: '(?i)size='
                  sender: '*@example.com'
                  recipient: 'bob@*'
                  parameter: SIZE
                  probability: 0.25
                reply: 503
                delay: 1500ms
                then: close
                times: 1
                key: [client, sender, recipient]
                for: 30s
            """;
        var (scenario, problems) = ScenarioLoader.Parse(yaml, "test.yaml");
        Assert.That(problems, Is.Empty);
        var rule = scenario!.Rules.Single();
        Assert.That(rule.Points, Is.EquivalentTo(new[] { ScenarioPoint.Rcpt }));
        Assert.That(rule.When.Nth, Is.EqualTo(2));
        Assert.That(rule.When.Per, Is.EqualTo(CountScope.Transaction));
        Assert.That(rule.When.Sender!.IsMatch("a@EXAMPLE.com"), Is.True);
        Assert.That(rule.When.Recipient!.IsMatch("alice@x"), Is.False);
        Assert.That(((RuleReply.Standard)rule.Reply!).Reply.ToString(), Is.EqualTo("503 5.5.1 Bad sequence of commands"));
        Assert.That(rule.Delay, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
        Assert.That(rule.Close, Is.True);
        Assert.That(rule.Key, Is.EqualTo(new[] { KeyPart.Client, KeyPart.Sender, KeyPart.Recipient }));
        Assert.That(rule.RetryWindow, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(scenario.Server.Extensions, Has.Count.EqualTo(4));
    }

    [TestCase(502, "502 5.5.1 Command not implemented")]
    [TestCase(503, "503 5.5.1 Bad sequence of commands")]
    [TestCase(504, "504 5.5.4 Command parameter not implemented")]
    [TestCase(451, "451 4.3.0 Requested action aborted: local error in processing")]
    [TestCase(299, "299 2.0.0 Requested action completed")]
    [TestCase(354, "354 Start mail input; end with <CRLF>.<CRLF>")]
    public void Shorthand_codes_get_the_standard_enhanced_code_and_text(int code, string expected)
    {
        var (scenario, _) = ScenarioLoader.Parse($"name: x\nrules:\n  - on: MAIL\n    reply: {code}\n", "test.yaml");
        Assert.That(((RuleReply.Standard)scenario!.Rules[0].Reply!).Reply.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Shorthand_at_connect_and_ehlo_carries_no_enhanced_code()
    {
        var (scenario, _) = ScenarioLoader.Parse("name: x\nrules:\n  - on: [EHLO, HELO]\n    reply: 502\n  - on: CONNECT\n    reply: 554\n", "test.yaml");
        Assert.That(((RuleReply.Standard)scenario!.Rules[0].Reply!).Reply.Enhanced, Is.Null);
        Assert.That(((RuleReply.Standard)scenario.Rules[1].Reply!).Reply.Enhanced, Is.Null);
    }

    [Test]
    public void Full_form_reply_with_several_lines_and_raw_bytes()
    {
        var (scenario, problems) = ScenarioLoader.Parse(
            "name: x\nrules:\n  - on: HELP\n    reply: { code: 214, enhanced: 2.0.0, text: [one, two] }\n  - on: NOOP\n    raw: \"250 ok\\n\"\n", "test.yaml");
        Assert.That(problems, Is.Empty);
        Assert.That(((RuleReply.Standard)scenario!.Rules[0].Reply!).Reply.Lines, Is.EqualTo(new[] { "one", "two" }));
        Assert.That(((RuleReply.Raw)scenario.Rules[1].Reply!).Bytes, Is.EqualTo("250 ok\n"u8.ToArray()));
    }

    [Test]
    public void Unknown_key() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    reply: 503\n    colour: red\n", 5, 5, "unknown key 'colour'");

    [Test]
    public void Unknown_key_at_the_top() =>
        AssertSingleProblem("name: x\nrulez: []\n", 2, 1, "unknown key 'rulez'");

    [Test]
    public void Unknown_point() =>
        AssertSingleProblem("name: x\nrules:\n  - on: [MAIL, RCTP]\n    reply: 503\n", 3, 16, "unknown point 'RCTP'");

    [TestCase(199)]
    [TestCase(600)]
    public void Code_outside_200_to_599(int code) =>
        AssertSingleProblem($"name: x\nrules:\n  - on: MAIL\n    reply: {code}\n", 4, 12, "from 200 to 599");

    [Test]
    public void Enhanced_code_of_another_class() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    reply: { code: 550, enhanced: 4.1.1 }\n", 4, 35, "class 4 but the reply code 550 is of class 5");

    [Test]
    public void Malformed_enhanced_code() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    reply: { code: 550, enhanced: 5.1 }\n", 4, 35, "not class.subject.detail");

    [Test]
    public void Bad_regex() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    when: { argument: '([' }\n    reply: 503\n", 4, 23, "not a valid regular expression");

    [Test]
    public void Reply_line_over_512_octets() =>
        AssertSingleProblem($"name: x\nrules:\n  - on: MAIL\n    reply: {{ code: 550, text: {new string('x', 510)} }}\n", 4, 31, "at most 512");

    [Test]
    public void Hostname_over_255_octets_which_would_push_the_greeting_past_512() =>
        AssertSingleProblem($"name: x\nserver:\n  hostname: {new string('h', 480)}\nrules: []\n", 3, 13, "longer than 255 octets");

    [Test]
    public void Nth_below_1() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    when: { nth: 0 }\n    reply: 503\n", 4, 18, "nth must be from 1");

    [TestCase("1.5")]
    [TestCase("-0.1")]
    public void Probability_outside_0_to_1(string p) =>
        AssertSingleProblem($"name: x\nrules:\n  - on: MAIL\n    when: {{ probability: {p} }}\n    reply: 503\n", 4, 26, "probability must be from 0 to 1");

    [Test]
    public void Reply_none_without_close() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MESSAGE\n    reply: none\n", 4, 12, "needs 'then: close'");

    [Test]
    public void Reply_and_raw_together() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    reply: 503\n    raw: \"x\"\n", 5, 10, "either 'reply' or 'raw'");

    [Test]
    public void A_rule_that_does_nothing() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    when: { nth: 2 }\n", 3, 5, "does nothing");

    [Test]
    public void A_bad_duration() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    delay: soon\n", 4, 12, "not a duration");

    [Test]
    public void A_retry_window_without_times_or_key() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    reply: 451\n    for: 30s\n", 5, 10, "retry window");

    [Test]
    public void A_missing_name() =>
        AssertSingleProblem("rules: []\n", 1, 1, "needs a 'name'");

    [Test]
    public void A_bad_session_range() =>
        AssertSingleProblem("name: x\nrules:\n  - on: MAIL\n    when: { session: \"5-2\" }\n    reply: 503\n", 4, 22, "session must be");

    [Test]
    public void Broken_yaml_is_reported_where_it_breaks()
    {
        var problems = Problems("name: x\nrules: [\n");
        Assert.That(problems.Single().Message, Does.StartWith("not valid YAML"));
        Assert.That(problems.Single().Line, Is.EqualTo(3));
    }

    [Test]
    public void Every_problem_is_reported_at_once_in_file_order()
    {
        var problems = Problems("name: x\nrules:\n  - on: NOPE\n    reply: 700\n  - on: MAIL\n    when: { nth: 0, probability: 2 }\n    reply: 503\n");
        Assert.That(problems.Select(p => (p.Line, p.Column)), Is.EqualTo(new[] { (3, 9), (4, 12), (6, 18), (6, 34) }));
    }

    [Test]
    public void A_missing_file_is_a_problem_not_a_crash()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("/nonexistent/x.yaml"));
        Assert.That(e!.Problems.Single().Message, Does.Contain("cannot read"));
        Assert.That(e.Problems.Single().ToString(), Does.StartWith("/nonexistent/x.yaml: cannot read"), "no position where there is none");
    }

    [Test]
    public void A_tab_used_for_indentation_is_reported_at_its_line_and_column()
    {
        var problems = Problems("name: x\nrules:\n  - on: MAIL\n\treply: 503\n");
        Assert.That(problems.Single().Message, Does.Contain("tab"));
        Assert.That((problems.Single().Line, problems.Single().Column), Is.EqualTo((4, 1)));
    }

    [Test]
    public void Every_ready_made_scenario_loads()
    {
        var files = Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "scenarios"), "*.yaml");
        Assert.That(files, Has.Length.GreaterThanOrEqualTo(10));
        foreach (var file in files)
        {
            Assert.That(() => ScenarioLoader.Load(file), Throws.Nothing, file);
        }
    }
}
