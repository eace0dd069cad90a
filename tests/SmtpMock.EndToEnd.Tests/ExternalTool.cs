using System.Diagnostics;

namespace SmtpMock.EndToEnd.Tests;

internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}; stdout: {StandardOutput}; stderr: {StandardError}";
}

/// <summary>
/// Runs a program from PATH with a time limit (killed, with its children, when it is passed). A program that is not
/// installed makes the test inconclusive, unless SMTPMOCK_REQUIRE_TOOLS=1, where it fails the test (for CI images
/// that are meant to have them).
/// </summary>
internal static class ExternalTool
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    public static bool ToolsRequired => Environment.GetEnvironmentVariable("SMTPMOCK_REQUIRE_TOOLS") == "1";

    /// <summary>Checks that <paramref name="program"/> starts and answers <paramref name="versionArgument"/>.</summary>
    public static async Task RequireAsync(string program, string versionArgument = "--version")
    {
        string? problem;
        try
        {
            var result = await RunAsync(program, [versionArgument]);
            problem = result.ExitCode == 0 ? null : $"'{program} {versionArgument}' failed: {result}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = $"'{program}' is not installed: {e.Message}";
        }

        if (problem is not null && ToolsRequired)
        {
            Assert.Fail(problem + " (SMTPMOCK_REQUIRE_TOOLS=1)");
        }

        Assume.That(problem, Is.Null, problem);
    }

    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"{program} did not finish within {TimeLimit.TotalSeconds} s and was killed; stderr: {await stderr}");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }
}
