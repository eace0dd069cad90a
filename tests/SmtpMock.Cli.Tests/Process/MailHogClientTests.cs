using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OsProcess = System.Diagnostics.Process;

namespace SmtpMock.Cli.Tests.Process;

/// <summary>
/// tests/compat/mailhog/mailhog-client.js, the <c>mailhog</c> npm client and nodemailer (as its lockfile pins them),
/// against two real <c>smtpmock serve --mailhog-port 0</c>: the first releases to the second (<c>--relay</c>). Needs
/// node and <c>npm ci</c> in that folder (.ci/run does both); without them the test fails saying so.
/// </summary>
[TestFixture]
public sealed partial class MailHogClientTests
{
    private static readonly TimeSpan NodeLimit = TimeSpan.FromMinutes(2);

    [Test]
    public async Task The_mailhog_npm_client_works_against_the_MailHog_port()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "compat", "mailhog");
        Assert.That(Directory.Exists(Path.Combine(folder, "node_modules", "mailhog")), Is.True,
            $"the mailhog npm client is not installed: run 'npm ci' in {folder} (.ci/run does)");

        await using var relay = await ServerProcess.StartAsync("--http-port", "0", "--mailhog-port", "0");
        var relayApi = await MailHogAddressAsync(relay);
        await using var server = await ServerProcess.StartAsync("--http-port", "0", "--mailhog-port", "0", "--seed", "7", "--relay", $"127.0.0.1:{relay.Port}", "--relay-insecure");
        var api = await MailHogAddressAsync(server);

        var (code, output) = await RunNodeAsync(folder, new Dictionary<string, string>
        {
            ["MAILHOG_URL"] = api.ToString(),
            ["SMTP_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["RELAY_MAILHOG_URL"] = relayApi.ToString(),
            ["RELAY_SMTP_PORT"] = relay.Port.ToString(CultureInfo.InvariantCulture),
        });

        Assert.That(code, Is.Zero, $"{output}{Environment.NewLine}smtpmock:{Environment.NewLine}{server.Output}");
        Assert.That(output, Does.Contain("ok: 17 checks"));
    }

    /// <summary>The address in the "MailHog API on http://127.0.0.1:PORT/" line serve prints at start.</summary>
    private static async Task<Uri> MailHogAddressAsync(ServerProcess server)
    {
        await server.WaitForOutputAsync("MailHog API on http://", ServerProcess.StartDeadline);
        return new Uri(MailHogLine().Match(server.Output).Groups[1].Value);
    }

    private static async Task<(int Code, string Output)> RunNodeAsync(string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("mailhog-client.js");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var node = new OsProcess { StartInfo = start };
        try
        {
            node.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"node is not installed ({e.Message}): apt-get install nodejs npm, then 'npm ci' in {folder}");
        }

        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(NodeLimit);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"node mailhog-client.js still running after {NodeLimit.TotalMinutes} minutes: {await stdout}{await stderr}");
        }

        return (node.ExitCode, await stdout + await stderr);
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

        throw new InvalidOperationException("SmtpMock.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    [GeneratedRegex(@"MailHog API on (http://\S+)")]
    private static partial Regex MailHogLine();
}
