using System.Diagnostics;
using System.Text.RegularExpressions;
using OsProcess = System.Diagnostics.Process;

namespace SmtpMock.Cli.Tests.Process;

/// <summary>
/// Mailpit's own node client (mailpit-api 2.1.0) and nodemailer, from tests/compat/mailpit, against a real
/// <c>smtpmock serve --mailpit-port 0</c>. node is required: CI installs it, and a machine without it fails this test
/// with the package to install (a compatibility claim that was not checked is not a pass).
/// </summary>
[TestFixture]
public sealed partial class MailpitClientTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Test]
    public async Task Mailpit_api_and_nodemailer_pass_every_check_against_the_mailpit_port()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "compat", "mailpit");
        if (!File.Exists(Path.Combine(folder, "node_modules", "mailpit-api", "package.json")) || !File.Exists(Path.Combine(folder, "node_modules", "nodemailer", "package.json")))
        {
            var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, []);
            Assert.That(install.Code, Is.Zero, $"npm ci in {folder}: {install.Output}");
        }

        await using var server = await ServerProcess.StartAsync("--mailpit-port", "0", "--seed", "5");
        await server.WaitForOutputAsync("Mailpit API on http://", ServerProcess.StartDeadline);
        var address = MailpitLine().Match(server.Output).Groups[1].Value;

        var run = await RunAsync("node", ["mailpit-client.mjs"], folder, new() { ["MAILPIT_URL"] = address, ["SMTP_PORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(run.Code, Is.Zero, run.Output);
        Assert.That(run.Output, Does.Match(@"ok: \d+ checks"));
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, string[] arguments, string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new OsProcess { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"'{program}' did not start ({e.Message}): apt-get install nodejs npm");
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} ran past {Limit.TotalMinutes} minutes: {await output}{await error}");
        }

        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SmtpMock.sln")))
            {
                return directory.FullName;
            }
        }

        throw new AssertionException("no SmtpMock.sln above the test folder");
    }

    [GeneratedRegex(@"Mailpit API on (http://\S+?)/?(\s|$)")]
    private static partial Regex MailpitLine();
}
