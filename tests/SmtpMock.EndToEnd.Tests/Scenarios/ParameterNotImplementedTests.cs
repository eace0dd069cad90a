using System.Text.RegularExpressions;
using MailKit.Net.Smtp;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>scenarios/parameter-not-implemented.yaml: 504 5.5.4 on MAIL FROM with SIZE, BODY=8BITMIME or SMTPUTF8.</summary>
[TestFixture]
public sealed class ParameterNotImplementedTests
{
    private const string Scenario = "parameter-not-implemented";

    [Test]
    public async Task MailKit_sends_size_and_its_sender_is_refused()
    {
        await using var server = await ScenarioKit.StartAsync(Scenario);
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);
        Assert.That(client.Capabilities.HasFlag(SmtpCapabilities.Size), Is.True, "SIZE is advertised");

        var refused = await ScenarioKit.CatchAsync<SmtpCommandException>(() =>
            client.SendAsync(ScenarioKit.Message("with SIZE", "rcpt@example.org"), timeout.Token));
        await client.DisconnectAsync(quit: true, timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.SenderNotAccepted));
            Assert.That(refused.StatusCode, Is.EqualTo(SmtpStatusCode.CommandParameterNotImplemented));
            Assert.That((int)refused.StatusCode, Is.EqualTo(504));
            Assert.That(ScenarioKit.EnhancedCode(refused), Is.EqualTo("5.5.4"));
            Assert.That(refused.Message, Is.EqualTo("5.5.4 SIZE parameter not implemented"));
            Assert.That(refused.Mailbox?.Address, Is.EqualTo(ScenarioKit.Sender));
            Assert.That(server.Messages.Count, Is.Zero, "nothing is captured");
        });

        var session = await server.WaitForSessionAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(session.ClientLines().Single(c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal)), Does.Match($@"^MAIL FROM:<{Regex.Escape(ScenarioKit.Sender)}> SIZE=\d+$"));
            Assert.That(session.FiredNotes(), Is.EqualTo(new[] { ScenarioKit.FiredNote(ScenarioKit.PathOf(Scenario), "size", "MAIL") }));
            Assert.That(session.RepliesBy("size"), Is.EqualTo(new[] { "504 5.5.4 SIZE parameter not implemented" }));
            Assert.That(session.ClientLines(), Does.Not.Contain("DATA"));
        });
    }
}
