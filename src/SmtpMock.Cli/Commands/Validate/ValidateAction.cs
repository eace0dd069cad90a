using System.CommandLine;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Cli.Commands.Validate;

/// <summary>Loads the files exactly as <c>serve</c> would (ScenarioCatalog), so what passes here serves.</summary>
internal static class ValidateAction
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var set = ScenarioCatalog.Load(parse.GetValue(ValidateCommand.Files) ?? []);
        foreach (var scenario in set.Scenarios)
        {
            var rules = scenario.Rules.Count == 1 ? "1 rule" : $"{scenario.Rules.Count} rules";
            await output.WriteLineAsync($"{scenario.SourcePath}: ok ('{scenario.Name}', {rules})").ConfigureAwait(false);
        }

        await ScenarioProblems.WriteAsync(error, set.Problems).ConfigureAwait(false);

        // A folder with no scenario file checked nothing: saying nothing and exiting 0 would read as "all valid".
        var empty = (parse.GetValue(ValidateCommand.Files) ?? []).Where(Directory.Exists)
            .Where(folder => !set.Files.Any(file => Path.GetFullPath(file).StartsWith(Path.GetFullPath(folder).TrimEnd('/') + "/", StringComparison.Ordinal)))
            .ToList();
        foreach (var folder in empty)
        {
            await error.WriteLineAsync($"smtpmock: {folder}: no scenario files (*.yaml, *.yml) in this folder (check the path)").ConfigureAwait(false);
        }

        return set.Problems.Count > 0 || empty.Count > 0 ? SmtpMockCli.UsageError : 0;
    }
}
