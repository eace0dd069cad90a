using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmtpMock.EndToEnd.Tests.Scenarios;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.SharedServer;

/// <summary>
/// Eight tests at once against one server, each choosing its own scenario for its sessions (by EHLO name, by AUTH user,
/// or by connecting to a port that runs it) and tagging its mail: each sees only its own failure (its own code, its
/// own rule in its transcript) and only its own messages by its tag.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ParallelScenarioTests
{
    private SmtpMockServer _server = null!;
    private string _folder = null!;
    private int _running;
    private int _mostAtOnce;

    public enum Choice
    {
        EhloName,
        AuthUser,
        Port,
    }

    [OneTimeSetUp]
    public async Task StartAsync() => (_server, _folder) = await SharedServerKit.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        TestContext.Progress.WriteLine($"shared server: at most {_mostAtOnce} of the tests were in a session at once");
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [TestCase(550, Choice.EhloName)]
    [TestCase(551, Choice.AuthUser)]
    [TestCase(552, Choice.Port)]
    [TestCase(553, Choice.EhloName)]
    [TestCase(450, Choice.AuthUser)]
    [TestCase(451, Choice.Port)]
    [TestCase(452, Choice.EhloName)]
    [TestCase(554, Choice.AuthUser)]
    public async Task Each_test_sees_its_own_scenario_and_its_own_messages(int code, Choice choice)
    {
        var scenario = SharedServerKit.ScenarioName(code);
        var tag = $"t{code}{Guid.NewGuid():N}"[..20];
        using var timeout = TestServer.Timeout();
        using var client = new SmtpClient { Timeout = (int)TestServer.Deadline.TotalMilliseconds };
        client.LocalDomain = choice == Choice.EhloName ? $"{scenario}.scenario.smtpmock.test" : $"{tag}.client.test";
        var port = choice == Choice.Port ? _server.ScenarioEndPoints[Array.IndexOf(SharedServerKit.PortScenarios, scenario)].Port : _server.EndPoint.Port;
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None, timeout.Token);
        var now = Interlocked.Increment(ref _running);
        InterlockedMax(ref _mostAtOnce, now);
        if (choice == Choice.AuthUser)
        {
            await client.AuthenticateAsync($"scenario={scenario}", "any password", timeout.Token);
        }

        var refused = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.SendAsync(Mail(tag, "refused", "someone@refuse.test"), timeout.Token));
        var reply = await client.SendAsync(Mail(tag, "first", $"inbox+{tag}@example.org"), timeout.Token);
        await client.SendAsync(Mail(tag, "second", $"inbox+{tag}@example.org"), timeout.Token);
        await client.DisconnectAsync(true, timeout.Token);
        Interlocked.Decrement(ref _running);

        Assert.That((int)refused.StatusCode, Is.EqualTo(code), "the refusal comes from this test's scenario");
        Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.RecipientNotAccepted));
        var mine = await _server.Messages.QueryAsync(MessageQuery.All.With(QueryField.Tag, tag) with { OldestFirst = true }, timeout.Token);
        Assert.That(mine.Items.Select(m => m.Summary.Subject), Is.EqualTo(new[] { $"{tag} first", $"{tag} second" }), "only this test's messages carry its tag");

        var session = await _server.WaitForSessionEndAsync(mine.Items[0].SessionId, timeout.Token);
        Assert.That(session.Scenario, Is.EqualTo(scenario));
        Assert.That(session.ScenarioChosenBy, Is.EqualTo(choice switch
        {
            Choice.EhloName => "EHLO name",
            Choice.AuthUser => "AUTH user",
            _ => $"port {port}",
        }));
        Assert.That(session.FiredNotes(), Is.All.StartsWith($"rule 'refuse-{code}'"), "no other scenario's rule fired in this session");
        Assert.That(TestServer.QueuedId(reply), Is.EqualTo(mine.Items[0].Id));
    }

    private static MimeMessage Mail(string tag, string subject, string to) => ScenarioKit.Message($"{tag} {subject}", to);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
