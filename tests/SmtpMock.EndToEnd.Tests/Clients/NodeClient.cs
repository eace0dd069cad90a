using System.Text.Json;

namespace SmtpMock.EndToEnd.Tests.Clients;

/// <summary>
/// tests/clients/node (send.js and nodemailer at the version its package-lock.json pins), installed by the tests
/// themselves: when node_modules does not hold exactly what the lockfile pins, <c>npm ci</c> runs once per test run,
/// under a file lock so two test runs at once never install over each other (the second waits, then finds it done).
/// Without node or npm, or when npm ci fails, the tests are skipped saying what to install, or failed with
/// SMTPMOCK_REQUIRE_TOOLS=1.
/// </summary>
internal static class NodeClient
{
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<string?>> Installed = new(InstallAsync);

    public static string Folder => Path.Combine(ClientScenarios.RepositoryRoot(), "tests", "clients", "node");

    /// <summary>The path of send.js, once node runs and nodemailer is installed.</summary>
    public static async Task<string> RequireAsync()
    {
        await ExternalTool.RequireAsync("node");
        var problem = await Installed.Value;
        if (problem is not null)
        {
            ExternalTool.Skip(problem);
        }

        return Path.Combine(Folder, "send.js");
    }

    /// <summary>Null when node_modules matches the lockfile (after npm ci if needed), else what went wrong.</summary>
    private static async Task<string?> InstallAsync()
    {
        var directory = Folder;
        using var cancel = new CancellationTokenSource(InstallLimit);
        FileStream held;
        try
        {
            held = await LockAsync(Path.Combine(directory, ".npm-ci.lock"), cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return $"another test run held {directory}/.npm-ci.lock for {InstallLimit.TotalMinutes} minutes";
        }

        await using (held)
        {
            var missing = Missing(directory);
            if (missing is null)
            {
                return null;
            }

            (ToolResult? Result, string StandardError) run;
            try
            {
                run = await ExternalTool.TryRunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], InstallLimit, directory);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return $"{missing}, and npm is not installed ({ExternalTool.NotStarted(e)}): {ExternalTool.AptInstall("npm")}, or run 'npm ci' in {directory}";
            }

            if (run.Result is not { ExitCode: 0 })
            {
                var how = run.Result is null ? $"was killed after {InstallLimit.TotalMinutes} minutes" : $"exited {run.Result.ExitCode}";
                return $"{missing}; 'npm ci' in {directory} {how}: {run.StandardError.Trim()}";
            }

            var still = Missing(directory);
            return still is null ? null : $"'npm ci' in {directory} succeeded, yet {still}";
        }
    }

    /// <summary>Null when every package the lockfile pins is in node_modules at its version, else the first that is not.</summary>
    private static string? Missing(string directory)
    {
        using var lockfile = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "package-lock.json")));
        foreach (var package in lockfile.RootElement.GetProperty("packages").EnumerateObject())
        {
            if (package.Name.Length == 0)
            {
                continue; // the root project itself
            }

            var pinned = package.Value.GetProperty("version").GetString();
            var manifest = Path.Combine(directory, package.Name, "package.json");
            if (!File.Exists(manifest))
            {
                return $"{package.Name} is not installed";
            }

            using var installed = JsonDocument.Parse(File.ReadAllText(manifest));
            var version = installed.RootElement.GetProperty("version").GetString();
            if (version != pinned)
            {
                return $"{package.Name} is {version}, the lockfile pins {pinned}";
            }
        }

        return null;
    }

    // An exclusive lock (flock on Linux) that another test process cannot take until this one disposes it.
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        using var retry = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await retry.WaitForNextTickAsync(cancellationToken);
            }
        }
    }
}
