using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace SmtpMock.EndToEnd.Tests;

internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}; stdout: {StandardOutput}; stderr: {StandardError}";
}

/// <summary>
/// Runs a program from PATH with a time limit (killed, with its children, when it is passed). A program that is not
/// installed skips the test with the apt package that brings it (<c>Assert.Ignore</c>, so <c>dotnet test</c> counts
/// it under Skipped; <c>Assume</c> and <c>Inconclusive</c> would print "Skipped" and count nothing), unless
/// SMTPMOCK_REQUIRE_TOOLS=1, where it fails the test (for CI, which installs them all).
/// </summary>
internal static class ExternalTool
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    // The Debian/Ubuntu package of each program whose package has another name.
    private static readonly Dictionary<string, string> AptPackages = new(StringComparer.Ordinal) { ["node"] = "nodejs" };

    public static bool ToolsRequired => Environment.GetEnvironmentVariable("SMTPMOCK_REQUIRE_TOOLS") == "1";

    /// <summary>The <c>apt-get install</c> line that brings <paramref name="program"/>.</summary>
    public static string AptInstall(string program) => "apt-get install " + AptPackages.GetValueOrDefault(program, program);

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
            problem = $"'{program}' is not installed ({NotStarted(e)}): {AptInstall(program)}";
        }

        if (problem is not null)
        {
            Skip(problem);
        }
    }

    /// <summary>Why a program did not start, in a few words: ENOENT (2) is a program not on PATH.</summary>
    public static string NotStarted(System.ComponentModel.Win32Exception e) => e.NativeErrorCode == 2 ? "not found on PATH" : e.Message;

    /// <summary>Skips the test, counted as skipped and saying why, or fails it when SMTPMOCK_REQUIRE_TOOLS=1.</summary>
    [DoesNotReturn]
    public static void Skip(string problem)
    {
        if (ToolsRequired)
        {
            Assert.Fail(problem + " (SMTPMOCK_REQUIRE_TOOLS=1)");
        }

        Assert.Ignore(problem + " (with SMTPMOCK_REQUIRE_TOOLS=1 this fails instead)");
    }

    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments)
    {
        var (result, stderr) = await TryRunAsync(program, arguments, TimeLimit);
        return result ?? throw new AssertionException(
            $"{program} did not finish within {TimeLimit.TotalSeconds} s and was killed; stderr: {stderr}");
    }

    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="workingDirectory"/> (the current one if null): its result, or
    /// null and what it had written to stderr when it was killed after <paramref name="limit"/>. Asserts nothing, so
    /// work shared by several tests can use it. Throws Win32Exception when the program is not installed.
    /// </summary>
    public static async Task<(ToolResult? Result, string StandardError)> TryRunAsync(
        string program, IEnumerable<string> arguments, TimeSpan limit, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return (null, await stderr);
        }

        return (new ToolResult(process.ExitCode, await stdout, await stderr), await stderr);
    }
}
