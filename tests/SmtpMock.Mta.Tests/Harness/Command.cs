using System.Diagnostics;

namespace SmtpMock.Mta.Tests.Harness;

internal sealed record CommandResult(string CommandLine, int ExitCode, string Output, string Error)
{
    public override string ToString() => $"'{CommandLine}' exited {ExitCode}; stdout: {Output.Trim()}; stderr: {Error.Trim()}";
}

/// <summary>One Postfix command (postfix, postconf, postqueue, sendmail), with its input, run to its end within a limit.</summary>
internal static class Command
{
    /// <summary>Postfix's own commands return within seconds; <c>postfix stop</c> waits up to five for its daemons.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Runs it and fails the test, with what it printed, unless it exits 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(string program, IEnumerable<string> arguments, string? input = null)
    {
        var result = await RunAsync(program, arguments, input);
        if (result.ExitCode != 0)
        {
            throw new AssertionException(result.ToString());
        }

        return result;
    }

    public static async Task<CommandResult> RunAsync(string program, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', start.ArgumentList.Prepend(program));
        using var process = Process.Start(start) ?? throw new AssertionException($"could not start '{commandLine}'");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new AssertionException($"'{commandLine}' did not finish within {Limit.TotalSeconds} s; stderr: {await error}");
        }

        return new CommandResult(commandLine, process.ExitCode, await output, await error);
    }
}
