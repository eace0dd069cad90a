using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Tests.Harness;
using SmtpMock.Server.Tests.Scenarios;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests.Sessions;

/// <summary>
/// At the default level a person running the server sees each captured message and each injected reply on one line,
/// and counts with the right plurals (issue #10, items 6 and 7).
/// </summary>
public class ConsoleLogTests
{
    private static async Task<IReadOnlyList<FakeLogRecord>> RunAsync(string dialog, string? yaml = null)
    {
        var options = SessionDriver.Options();
        var logger = new FakeLogger();
        var rules = yaml is null ? null : ScenarioRules.For(options, ScenarioRunner.Parse(yaml));
        var (session, events) = SessionFactory.Create(options, rules, new MemoryMessageStore(), 7, new IPEndPoint(IPAddress.Loopback, 40000), logger);
        await session.RunAsync(new ScriptedPipeReader([Encoding.UTF8.GetBytes(dialog)]), PipeWriter.Create(new MemoryStream()), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));
        events.Ended(); // what the host does once the connection is closed
        return [.. logger.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Information)];
    }

    [Test]
    public async Task A_captured_message_is_one_line_with_id_sender_recipients_subject_and_size()
    {
        var records = await RunAsync(Ehlo + Mail + Rcpt + "RCPT TO:<carol@example.com>\r\nDATA\r\nSubject: Quarterly report\r\n\r\nHello\r\n.\r\nQUIT\r\n");
        var line = records.Single(r => r.Message.StartsWith("[7] message ", StringComparison.Ordinal)).Message;
        Assert.That(line, Does.Match(@"^\[7\] message [0-9a-f]{32} from <alice@example\.com> to <bob@example\.com>, <carol@example\.com>: ""Quarterly report"", \d+ octets$"));
    }

    [Test]
    public async Task The_message_line_carries_named_values_for_structured_loggers_and_spells_a_null_sender_as_brackets()
    {
        var records = await RunAsync(Ehlo + "MAIL FROM:<>\r\n" + "RCPT TO:<postmaster>\r\nDATA\r\nSubject: bounce\r\n\r\nx\r\n.\r\nQUIT\r\n");
        var record = records.Single(r => r.Message.StartsWith("[7] message ", StringComparison.Ordinal));
        Assert.That(record.Message, Does.Match(@" from <> to <postmaster>: ""bounce"", \d+ octets$"));
        var values = record.StructuredState!.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(values["Session"], Is.EqualTo("7"));
        Assert.That(values["From"], Is.EqualTo("<>"));
        Assert.That(values["To"], Is.EqualTo("<postmaster>"));
        Assert.That(values["Subject"], Is.EqualTo("bounce"));
        Assert.That(values["Id"], Does.Match("^[0-9a-f]{32}$"));
        Assert.That(values["{OriginalFormat}"], Does.StartWith("[{Session}] message {Id} from {From}"));
        Assert.That(record.Id.Id, Is.EqualTo(6));
    }

    [Test]
    public async Task An_injected_reply_names_its_rule_the_point_and_the_reply()
    {
        var records = await RunAsync(Ehlo + Mail + Rcpt + "QUIT\r\n", "name: x\nrules:\n  - name: mailbox-full\n    on: RCPT\n    reply: 552\n");
        Assert.That(records.Select(r => r.Message), Has.One.Matches<string>(m => m!.StartsWith("[7] rule 'mailbox-full' answered RCPT: 552 5.", StringComparison.Ordinal)));
    }

    [Test]
    public async Task The_session_line_counts_with_the_right_plurals()
    {
        var records = await RunAsync(Ehlo + Mail + Rcpt + "DATA\r\n" + Message + "QUIT\r\n");
        var line = records.Single(r => r.Message.StartsWith("Session 7", StringComparison.Ordinal)).Message;
        Assert.That(line, Does.Contain(": 5 commands, 1 message accepted, 0 refused as bad; ended: QUIT"));
    }
}
