using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SmtpMock.Cli.Commands.Codes;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Cli.Tests.Commands;

public class CodesCommandTests
{
    private static readonly int[] EveryServerCode =
    [
        211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 432, 450, 451, 452, 454, 455, 500, 501, 502, 503, 504,
        521, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556,
    ];

    private static IEnumerable<TestCaseData> Entries() =>
        ReplyCodeReference.All.Select(c => new TestCaseData(c.Code).SetArgDisplayNames(c.Code.Text()));

    [Test]
    public void The_reference_has_every_code_a_server_sends_once_in_order()
    {
        Assert.That(ReplyCodeReference.All.Select(c => c.Code), Is.EqualTo(EveryServerCode));
    }

    [Test]
    public void The_reference_explains_every_code_of_the_reply_table_and_no_other()
    {
        Assert.That(ReplyCodeReference.All.Select(c => c.Code), Is.EqualTo(ReplyCatalog.Rows.Select(r => r.Code)));
    }

    [TestCaseSource(nameof(Entries))]
    public async Task Codes_CODE_prints_the_row_of_the_reply_table(int code)
    {
        var row = ReplyCatalog.Find(code)!;
        var (exit, output, _) = await CommandRun.RunAsync("codes", code.ToString(CultureInfo.InvariantCulture));
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.StartWith($"{code} {row.Text}\n"));
        Assert.That(output, Does.Contain(row.Enhanced.Count == 0 ? "Enhanced codes: none" : $"Enhanced codes: {string.Join(", ", row.Enhanced)}\n"));
        Assert.That(Regex.Replace(output, @"\s+", " "), Does.Contain(row.Meaning), "the meaning, however it is wrapped");
    }

    [TestCaseSource(nameof(Entries))]
    public void Each_scenario_snippet_loads_without_problems_and_replies_with_its_code(int code)
    {
        var entry = ReplyCodeReference.Find(code)!;
        var (scenario, problems) = ScenarioLoader.Parse(entry.Scenario, $"codes-{code}.yaml");
        Assert.That(problems.Select(p => p.ToString()), Is.Empty);
        Assert.That(scenario!.Rules.Select(r => (r.Reply as RuleReply.Standard)?.Reply.Code), Does.Contain(code), "a rule of the snippet sends the code itself");
    }

    [TestCaseSource(nameof(Entries))]
    public void Each_entry_is_complete_and_its_enhanced_codes_match_its_class(int code)
    {
        var entry = ReplyCodeReference.Find(code)!;
        // The title is the text the server sends with the bare code (250's is "OK"); the explanations say more.
        Assert.That(entry.Title, Is.Not.Empty.And.EqualTo(ReplyCatalog.TextFor(code)));
        Assert.That(new[] { entry.Meaning, entry.WhenSent, entry.Clients }, Has.All.Length.GreaterThan(10));
        Assert.That(entry.Action, Is.AnyOf(ReplyCodeReference.Success, ReplyCodeReference.Continue, ReplyCodeReference.Retry, ReplyCodeReference.GiveUp));
        Assert.That(entry.Enhanced, code / 100 == 3 ? Is.Empty : Has.All.StartsWith($"{code / 100}."));
        var expected = (code / 100) switch { 4 => ReplyCodeReference.Retry, 5 => ReplyCodeReference.GiveUp, _ => entry.Action };
        Assert.That(entry.Action, Is.EqualTo(expected), "4xx is retried later, 5xx is not retried unchanged");
    }

    [TestCase("502", "Command not implemented", "fall back to HELO")]
    [TestCase("503", "Bad sequence of commands", "BadCommandSequence")]
    [TestCase("504", "Command parameter not implemented", "CommandParameterNotImplemented")]
    public async Task Codes_CODE_explains_the_headline_codes_with_a_scenario(string code, string title, string clientDetail)
    {
        var (exit, output, _) = await CommandRun.RunAsync("codes", code);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.StartWith($"{code} {title}\n"));
        Assert.That(output, Does.Contain(clientDetail).And.Contain("    reply: ").And.Contain("Make SmtpMock send it"));
    }

    [TestCase("503")]
    [TestCase("552")]
    [TestCase("421")]
    public async Task Codes_CODE_shows_the_zero_config_failure_addresses_for_an_error_code(string code)
    {
        var (exit, output, _) = await CommandRun.RunAsync("codes", code);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain($"\n  RCPT TO:<{code}@smtpmock.test> ").And.Contain($"\n  RCPT TO:<{code}-data@smtpmock.test> "));
        Assert.That(output, Does.Contain($"\n  MAIL FROM:<{code}@smtpmock.test> ").And.Contain($"\n  AUTH with the user {code}@smtpmock.test "));
        Assert.That(output, Does.Contain($"\n  EHLO {code}.smtpmock.test "));
        Assert.That(output, Does.Contain($"{code}+signup@"));
    }

    [Test]
    public async Task Codes_lists_the_failure_addresses_that_are_not_a_code()
    {
        var (exit, output, _) = await CommandRun.RunAsync("codes");
        Assert.That(exit, Is.Zero);
        foreach (var form in new[] { "hang@", "reset@", "reset-data@", "slow-200bps@", "fragment@", "nopipelining.nostarttls.noauth", "slow-3s@smtpmock.test" })
        {
            Assert.That(output, Does.Contain(form));
        }
    }

    [TestCase("250")]
    [TestCase("354")]
    public async Task Codes_CODE_shows_no_failure_address_for_a_positive_code(string code)
    {
        var (exit, output, _) = await CommandRun.RunAsync("codes", code);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Not.Contain("smtpmock.test"));
    }

    [Test]
    public async Task Codes_CODE_json_has_the_zero_config_addresses()
    {
        var (_, output, _) = await CommandRun.RunAsync("codes", "552", "--json");
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("zeroConfig").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "552@smtpmock.test", "552-data@smtpmock.test" }));
    }

    [Test]
    public async Task Codes_without_a_code_lists_every_code_with_its_action()
    {
        var (exit, output, _) = await CommandRun.RunAsync("codes");
        Assert.That(exit, Is.Zero);
        var lines = output.Split('\n');
        var header = lines[0];
        var row = lines.Single(l => l.StartsWith("503 ", StringComparison.Ordinal));
        Assert.That(row, Does.Match(@"^503 +5\.5\.1 +give-up +Bad sequence of commands$"));
        Assert.That(lines.Single(l => l.StartsWith("451 ", StringComparison.Ordinal)), Does.Match(@"^451 +4\.3\.0 +retry "));
        foreach (var (column, value) in new[] { ("enhanced", "5.5.1"), ("action", "give-up"), ("meaning", "Bad sequence") })
        {
            Assert.That(row.IndexOf(value, StringComparison.Ordinal), Is.EqualTo(header.IndexOf(column, StringComparison.Ordinal)), $"the {column} column lines up with its header");
        }

        Assert.That(output.Split('\n').Count(l => l.Length > 3 && int.TryParse(l[..3], out _)), Is.EqualTo(EveryServerCode.Length));
    }

    [Test]
    public async Task Codes_json_is_an_array_of_every_code_with_camel_case_fields()
    {
        var (exit, output, _) = await CommandRun.RunAsync("codes", "--json");
        Assert.That(exit, Is.Zero);
        using var json = JsonDocument.Parse(output);
        var codes = json.RootElement.EnumerateArray().Select(e => e.GetProperty("code").GetInt32()).ToArray();
        Assert.That(codes, Is.EqualTo(EveryServerCode));
        Assert.That(json.RootElement[0].GetProperty("whenSent").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Codes_CODE_json_is_one_object_whose_scenario_loads()
    {
        var (exit, output, _) = await CommandRun.RunAsync("codes", "504", "--json");
        Assert.That(exit, Is.Zero);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("code").GetInt32(), Is.EqualTo(504));
        Assert.That(json.RootElement.GetProperty("enhanced")[0].GetString(), Is.EqualTo("5.5.4"));
        Assert.That(ScenarioLoader.Parse(json.RootElement.GetProperty("scenario").GetString()!, "from-json.yaml").Problems, Is.Empty);
    }

    [TestCase("599")]
    [TestCase("abc")]
    [TestCase("-503")]
    public async Task An_unknown_code_exits_2_with_one_clear_line(string code)
    {
        var (exit, output, err) = await CommandRun.RunAsync("codes", code);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(err, Does.StartWith($"smtpmock: '{code}' is not a reply code SmtpMock knows; try one of: 211 214"));
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }
}
