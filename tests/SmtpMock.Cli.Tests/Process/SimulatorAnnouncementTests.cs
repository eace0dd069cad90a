namespace SmtpMock.Cli.Tests.Process;

/// <summary>The failure addresses at smtpmock.test are announced once at start, and not with --no-simulator (issue #12).</summary>
public class SimulatorAnnouncementTests
{
    private const string Announcement = "failure addresses on: try 503@smtpmock.test";

    [TestCase(new string[0], 1)]
    [TestCase(new[] { "--no-simulator" }, 0)]
    public async Task The_start_announces_the_failure_addresses_unless_turned_off(string[] arguments, int expected)
    {
        var server = await ServerProcess.StartAsync(arguments);
        await using (server)
        {
            server.Terminate();
            Assert.That(await server.WaitForExitAsync(ServerProcess.StartDeadline), Is.Zero);
        }

        var lines = server.Output.Split(Environment.NewLine).Where(l => l.Contains(Announcement, StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Count.EqualTo(expected), server.Output);
        Assert.That(lines, Has.All.Contain("info:").And.All.EndWith("(--no-simulator to turn off)"));
    }
}
