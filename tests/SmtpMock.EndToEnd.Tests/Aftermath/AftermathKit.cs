using MimeKit;
using SmtpMock.EndToEnd.Tests.Scenarios;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.Aftermath;

/// <summary>Sends with MailKit and waits for what the server generates about the message, read back by MimeKit.</summary>
internal static class AftermathKit
{
    /// <summary>Sends one message to <paramref name="to"/> over a new MailKit connection; returns the id the server queued it as.</summary>
    public static async Task<string> SendAsync(SmtpMockServer server, MimeMessage message)
    {
        using var timeout = TestServer.Timeout();
        using var client = ScenarioKit.NewClient();
        await client.ConnectToAsync(server, timeout.Token);
        var reply = await client.SendAsync(message, timeout.Token);
        await client.DisconnectAsync(true, timeout.Token);
        return TestServer.QueuedId(reply);
    }

    /// <summary>The message a client sends, with a Message-ID to thread under.</summary>
    public static MimeMessage Message(string subject, params string[] to)
    {
        var message = ScenarioKit.Message(subject, to);
        message.MessageId = $"{Guid.NewGuid():N}@app.example.com";
        return message;
    }

    /// <summary>The message generated about <paramref name="originalId"/> of this kind, waited for up to the deadline, then parsed back from its bytes.</summary>
    public static async Task<(CapturedMessage Captured, MimeMessage Parsed)> GeneratedAsync(SmtpMockServer server, string originalId, string kind)
    {
        var captured = await server.WaitForMessageAsync(m => m.Origin is { } origin && origin.OriginalId == originalId && origin.Kind == kind);
        return (captured, MimeMessage.Load(new MemoryStream(captured.Raw.ToArray())));
    }

    /// <summary>The fields of a feedback report's message/feedback-report part.</summary>
    public static HeaderList FeedbackFields(MimeMessage arf)
    {
        var report = (MultipartReport)arf.Body!;
        Assert.That(report.ReportType, Is.EqualTo("feedback-report"));
        using var content = new MemoryStream();
        report.OfType<MessageFeedbackReport>().Single().Content.DecodeTo(content);
        return HeaderList.Load(new MemoryStream(content.ToArray()));
    }

    /// <summary>The one per-recipient group of a delivery-status part.</summary>
    public static HeaderList RecipientFields(MimeMessage dsn)
    {
        var report = (MultipartReport)dsn.Body!;
        Assert.That(report.ReportType, Is.EqualTo("delivery-status"));
        var status = report.OfType<MessageDeliveryStatus>().Single();
        Assert.That(status.StatusGroups, Has.Count.EqualTo(2), "one per-message group and one per-recipient group");
        return status.StatusGroups[1];
    }
}
