using SmtpMock.Server.Scenarios;

namespace SmtpMock.Cli;

/// <summary>
/// How the CLI prints scenario problems: one with a place in a file as <c>file:line:column: message</c>, the form
/// editors and CI annotations jump to; one without a place as an ordinary CLI error, <c>smtpmock: ...</c>.
/// </summary>
internal static class ScenarioProblems
{
    public static async Task WriteAsync(TextWriter error, IEnumerable<ScenarioProblem> problems)
    {
        foreach (var problem in problems)
        {
            await error.WriteLineAsync(problem.HasPosition ? problem.ToString() : $"smtpmock: {problem}{Advice(problem)}").ConfigureAwait(false);
        }
    }

    private static string Advice(ScenarioProblem problem) =>
        problem.File.Length > 0 ? " (check the path)" : string.Empty;
}
