using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.EndToEnd.Tests.Aftermath;

/// <summary>
/// The zero-config recipients that are accepted with 250 and answered later, sent to with MailKit: each generated
/// message is captured, linked to the original, and parsed back by MimeKit with its required fields checked.
/// </summary>
public sealed class TriggerAddressTests
{
    [Test]
    public async Task Bounce_address_is_accepted_and_a_delivery_status_notification_goes_to_the_envelope_sender()
    {
        await using var server = await TestServer.StartAsync();
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("order 17", "bounce@smtpmock.test"));

        var (captured, dsn) = await AftermathKit.GeneratedAsync(server, id, "bounce");

        Assert.That(captured.Sender.IsNull, Is.True, "a DSN goes out with MAIL FROM:<>");
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { Scenarios.ScenarioKit.Sender }));
        Assert.That(dsn.Headers["X-SmtpMock-Generated"], Is.EqualTo("bounce"));
        Assert.That(dsn.Headers["X-SmtpMock-Original-Id"], Is.EqualTo(id));
        Assert.That(dsn.Headers[HeaderId.AutoSubmitted], Is.EqualTo("auto-replied"));
        var fields = AftermathKit.RecipientFields(dsn);
        Assert.That(fields["Final-Recipient"], Is.EqualTo("rfc822; bounce@smtpmock.test"));
        Assert.That(fields["Action"], Is.EqualTo("failed"));
        Assert.That(fields["Status"], Is.EqualTo("5.1.1"));
        Assert.That(fields["Diagnostic-Code"], Does.StartWith("smtp; 550 5.1.1"));
        var original = ((MultipartReport)dsn.Body!)[2];
        Assert.That(original.ContentType.MimeType, Is.EqualTo("text/rfc822-headers"), "the original's header fields are attached");
    }

    [Test]
    public async Task Bounce_with_a_code_reports_that_code_and_its_enhanced_status()
    {
        await using var server = await TestServer.StartAsync();
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("big", "bounce-552@smtpmock.test"));

        var (_, dsn) = await AftermathKit.GeneratedAsync(server, id, "bounce");

        var fields = AftermathKit.RecipientFields(dsn);
        Assert.That(fields["Status"], Is.EqualTo("5.2.2"));
        Assert.That(fields["Diagnostic-Code"], Does.StartWith("smtp; 552 5.2.2"));
    }

    [Test]
    public async Task A_4xx_bounce_code_reports_a_delay_not_a_failure()
    {
        await using var server = await TestServer.StartAsync();
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("later", "bounce-451@smtpmock.test"));

        var (_, dsn) = await AftermathKit.GeneratedAsync(server, id, "bounce");

        Assert.That(AftermathKit.RecipientFields(dsn)["Action"], Is.EqualTo("delayed"));
    }

    [Test]
    public async Task Out_of_office_address_answers_the_sender_with_an_automatic_reply()
    {
        await using var server = await TestServer.StartAsync();
        var sent = AftermathKit.Message("meeting", "ooto@smtpmock.test");
        var id = await AftermathKit.SendAsync(server, sent);

        var (captured, reply) = await AftermathKit.GeneratedAsync(server, id, "autoreply");

        Assert.That(captured.Sender.IsNull, Is.True);
        Assert.That(reply.Headers[HeaderId.AutoSubmitted], Is.EqualTo("auto-replied"));
        Assert.That(reply.From.Mailboxes.Single().Address, Is.EqualTo("ooto@smtpmock.test"));
        Assert.That(reply.To.Mailboxes.Single().Address, Is.EqualTo(Scenarios.ScenarioKit.Sender));
        Assert.That(reply.Subject, Is.EqualTo("Out of office: meeting"));
        Assert.That(reply.InReplyTo, Is.EqualTo(sent.MessageId));
    }

    [Test]
    public async Task Complaint_address_sends_an_abuse_feedback_report()
    {
        await using var server = await TestServer.StartAsync();
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("newsletter", "complaint@smtpmock.test"));

        var (_, arf) = await AftermathKit.GeneratedAsync(server, id, "complaint");

        var fields = AftermathKit.FeedbackFields(arf);
        Assert.That(fields["Feedback-Type"], Is.EqualTo("abuse"));
        Assert.That(fields["Version"], Is.EqualTo("1"));
        Assert.That(fields["Original-Rcpt-To"], Is.EqualTo("<complaint@smtpmock.test>"));
        Assert.That(((MultipartReport)arf.Body!)[2].ContentType.MimeType, Is.EqualTo("message/rfc822"), "the whole original is attached");
    }

    [Test]
    public async Task A_generated_message_and_its_original_are_linked_both_ways_in_the_store()
    {
        await using var server = await TestServer.StartAsync();
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("two", "bounce@smtpmock.test", "ooto@smtpmock.test"));

        var (bounce, _) = await AftermathKit.GeneratedAsync(server, id, "bounce");
        var (reply, _) = await AftermathKit.GeneratedAsync(server, id, "autoreply");
        var produced = await server.Messages.QueryAsync(MessageQuery.All.With(QueryField.GeneratedFrom, id), CancellationToken.None);

        Assert.That(produced.Items.Select(m => m.Id), Is.EquivalentTo(new[] { bounce.Id, reply.Id }));
        var original = await server.Messages.GetAsync(id, CancellationToken.None);
        Assert.That(original!.Origin, Is.Null, "the client's message was not generated");
    }
}
