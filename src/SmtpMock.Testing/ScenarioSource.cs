using SmtpMock.Server.Scenarios;

namespace SmtpMock.Testing;

/// <summary>The three ways a test gives a scenario, each turned into one checked <see cref="Scenario"/>.</summary>
internal static class ScenarioSource
{
    public static Scenario FromFile(string path) => ScenarioLoader.Load(Path.GetFullPath(path));

    public static Scenario FromYaml(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var (scenario, problems) = ScenarioLoader.Parse(yaml, "(yaml)");
        return problems.Count > 0 ? throw new ScenarioException(problems) : scenario!;
    }

    public static Scenario Build(Action<ScenarioBuilder> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var builder = new ScenarioBuilder();
        build(builder);
        return builder.Build();
    }
}
