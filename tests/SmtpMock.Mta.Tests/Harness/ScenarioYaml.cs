namespace SmtpMock.Mta.Tests.Harness;

/// <summary>The scenario files these tests give <c>--scenario</c> (docs/scenarios.md): one rule each.</summary>
internal static class ScenarioYaml
{
    /// <summary>A scenario named after its one rule: at <paramref name="on"/>, when <paramref name="when"/> holds (a YAML map), <paramref name="reply"/>.</summary>
    public static string OneRule(string name, string on, string reply, string? when = null) =>
        $"""
        name: {name}
        rules:
          - name: {name}
            on: {on}
            {(when is null ? string.Empty : $"when: {when}")}
            reply: {reply}
        """;
}
