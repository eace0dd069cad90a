using System.Text.Json;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session;
using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests;

/// <summary>
/// The verb list (<see cref="SmtpVerbs.Known"/>) exists once: the scenario points, HELP and the schema's <c>on:</c>
/// values follow it, and each of these fails when one drifts (docs/architecture.md: "Where to add things").
/// </summary>
public class VerbListTests
{
    [Test]
    public void The_verb_list_names_every_verb_but_unknown_once()
    {
        var verbs = Enum.GetValues<SmtpVerb>().Where(v => v != SmtpVerb.Unknown);
        Assert.That(SmtpVerbs.Known, Is.EquivalentTo(verbs).And.Unique);
    }

    [Test]
    public void The_schema_lists_the_scenario_points_in_their_order()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "scenarios", "scenario.schema.json")));
        var listed = schema.RootElement.GetProperty("definitions").GetProperty("point").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.That(listed, Is.EqualTo(ScenarioPoints.All.Select(p => p.Name())),
            "scenarios/scenario.schema.json definitions.point.enum must list ScenarioPoints.All (CONNECT, the verbs of SmtpVerbs.Known with MESSAGE after DATA, UNKNOWN, ANY)");
    }

    [Test]
    public async Task Help_lists_every_verb_of_the_list_that_answers()
    {
        // With TLS and AUTH on, only EXPN (always 502) is left out.
        var result = await ExpectAsync("HELP\r\n", "214 2.0.0");
        var listed = result.Lines.Where(l => l.StartsWith("214", StringComparison.Ordinal)).Skip(1).SkipLast(1)
            .SelectMany(l => l["214-2.0.0 ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.That(listed, Is.EqualTo(SmtpVerbs.Known.Where(v => v != SmtpVerb.Expn).Select(v => v.Keyword())));
    }

    [Test]
    public void Every_verb_has_a_row_in_the_state_table()
    {
        // The table is built once from its rows and refuses to build with one missing.
        foreach (var verb in Enum.GetValues<SmtpVerb>())
        {
            Assert.That(() => StateTable.IsAllowed(SessionState.Connected, verb), Throws.Nothing, verb.ToString());
        }
    }
}
