using System.Text;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Fuzz;

/// <summary>
/// Feeds arbitrary text to the scenario loader: it must answer with a scenario or with positioned problems, never
/// throw, and a scenario it accepts must be usable by a server.
/// </summary>
public static class ScenarioTarget
{
    private static readonly SmtpServerOptions Options = new();

    public static void Run(byte[] input) => Check(Encoding.UTF8.GetString(input), "fuzz.yaml");

    /// <summary>The loader's answer to <paramref name="text"/>, once it passed the oracles.</summary>
    public static (Scenario? Scenario, IReadOnlyList<ScenarioProblem> Problems) Check(string text, string file)
    {
        var (scenario, problems) = ScenarioLoader.Parse(text, file);
        if (scenario is null == (problems.Count == 0))
        {
            throw new OracleViolation("the loader returned neither a scenario nor problems (or both)");
        }

        foreach (var problem in problems)
        {
            if (problem.Line < 0 || problem.Column < 0 || string.IsNullOrWhiteSpace(problem.Message))
            {
                throw new OracleViolation($"a problem without a place or a message: {problem}");
            }
        }

        if (scenario is not null)
        {
            _ = ScenarioRules.For(Options, scenario);
        }

        return (scenario, problems);
    }
}
