using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Tests.Harness;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>Runs a dialog against a scenario given as YAML, each split with a fresh engine.</summary>
internal static class ScenarioRunner
{
    public static Scenario Parse(string yaml)
    {
        var (scenario, problems) = ScenarioLoader.Parse(yaml, "test.yaml");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        return scenario!;
    }

    public static Task<DriveResult> RunAsync(string yaml, string dialog, SmtpServerOptions? options = null, Split split = Split.Whole, long sessionId = 1)
    {
        options ??= SessionDriver.Options();
        var scenario = Parse(yaml);
        return SessionDriver.RunAsync(Splitter.Bytes(dialog), split, options, rules: ScenarioRules.For(options, scenario), sessionId: sessionId, rawReplies: scenario.Rules.Any(r => r.Reply is RuleReply.Raw));
    }

    /// <summary>Feeds the dialog whole, per line and per byte; each gets exactly <paramref name="codes"/> after the greeting.</summary>
    public static async Task<DriveResult> ExpectAsync(string yaml, string dialog, params string[] codes)
    {
        DriveResult? first = null;
        foreach (var split in Enum.GetValues<Split>())
        {
            var result = await RunAsync(yaml, dialog, split: split);
            Assert.That(result.Codes, Is.EqualTo(codes), $"{split}: {result.Output}");
            first ??= result;
        }

        return first!;
    }
}
