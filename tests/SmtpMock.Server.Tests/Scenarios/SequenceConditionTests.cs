using static SmtpMock.Server.Tests.Harness.Dialog;
using static SmtpMock.Server.Tests.Scenarios.ScenarioRunner;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>
/// A real server checks the order of commands before any policy: by default a rule fires only where its command is in
/// sequence (issue #10, item 10: Postfix pipelining RCPTs after a refused MAIL saw a rule's 451 where a server says 503).
/// </summary>
public class SequenceConditionTests
{
    private const string RcptAndData = "name: x\nrules:\n  - name: r\n    on: [RCPT, DATA]\n    reply: { code: 451, enhanced: 4.3.0, text: try later }\n";

    [Test]
    public async Task A_rule_does_not_answer_commands_that_are_out_of_sequence()
    {
        var result = await ExpectAsync(RcptAndData, Ehlo + Rcpt + "DATA\r\n", "250", "503 5.5.1", "503 5.5.1");
        Assert.That(result.Session.BadCommands, Is.EqualTo(2), "the server's own 503s count towards --max-bad-commands");
    }

    [Test]
    public async Task The_same_rule_answers_the_commands_once_they_are_in_sequence()
    {
        await ExpectAsync(RcptAndData, Ehlo + Mail + Rcpt, "250", "250 2.1.0", "451 4.3.0");
    }

    [Test]
    public async Task Pipelined_rcpts_after_a_refused_mail_get_503_not_the_rule_reply()
    {
        const string yaml = "name: x\nrules:\n  - on: MAIL\n    reply: 451\n  - on: RCPT\n    reply: 450\n";
        await ExpectAsync(yaml, Ehlo + Mail + Rcpt + Rcpt + "DATA\r\n", "250", "451 4.3.0", "503 5.5.1", "503 5.5.1", "503 5.5.1");
    }

    [Test]
    public async Task Sequence_any_lets_a_rule_lie_about_the_sequence()
    {
        const string yaml = "name: x\nrules:\n  - on: RCPT\n    when: { sequence: any }\n    reply: 250\n";
        await ExpectAsync(yaml, Ehlo + Rcpt, "250", "250 2.0.0");
    }

    [Test]
    public async Task Sequence_out_answers_only_the_out_of_sequence_commands()
    {
        const string yaml = "name: x\nrules:\n  - on: RCPT\n    when: { sequence: out }\n    reply: { code: 502, text: not now }\n";
        await ExpectAsync(yaml, Ehlo + Rcpt + Mail + Rcpt, "250", "502 5.5.1", "250 2.1.0", "250 2.1.5");
    }

    [Test]
    public void An_unknown_sequence_value_is_a_problem_at_its_line()
    {
        var (_, problems) = Server.Scenarios.ScenarioLoader.Parse("name: x\nrules:\n  - on: RCPT\n    when: { sequence: sometimes }\n    reply: 451\n", "s.yaml");
        Assert.That(problems.Select(p => (p.Line, p.Message)), Has.One.Matches<(int Line, string Message)>(p => p.Line == 4 && p.Message.Contains("sequence must be in")));
    }
}
