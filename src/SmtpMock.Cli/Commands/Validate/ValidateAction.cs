using System.CommandLine;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Cli.Commands.Validate;

internal static class ValidateAction
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var failed = false;
        foreach (var file in Expand(parse.GetValue(ValidateCommand.Files) ?? []))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var scenario = ScenarioLoader.Load(file);
                await output.WriteLineAsync($"{file}: ok ('{scenario.Name}', {scenario.Rules.Count} rules)").ConfigureAwait(false);
            }
            catch (ScenarioException e)
            {
                failed = true;
                foreach (var problem in e.Problems)
                {
                    await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
                }
            }
        }

        return failed ? SmtpMockCli.UsageError : 0;
    }

    private static IEnumerable<string> Expand(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
