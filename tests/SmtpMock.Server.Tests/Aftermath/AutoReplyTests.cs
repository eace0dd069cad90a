using MimeKit;
using SmtpMock.Server.Aftermath;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>The automatic response (RFC 3834) built from captured messages and read back by MimeKit.</summary>
public class AutoReplyTests
{
    private const string Responder = "away@example.org";
    private static readonly AutoReplyBuilder Builder = new(Reports.Host());

    [Test]
    public async Task An_auto_reply_comes_from_the_recipient_marked_auto_replied_and_threaded_under_the_original()
    {
        var original = await Originals.CaptureAsync(Addressed(Originals.Simple()), recipients: [Responder]);

        var result = Builder.Build(original, AutoReplyRequest.OutOfOffice(Responder));
        var reply = Reports.ReadBack(result);

        Assert.Multiple(() =>
        {
            Assert.That(reply.From.Mailboxes.Single().Address, Is.EqualTo(Responder));
            Assert.That(reply.To.Mailboxes.Single().Address, Is.EqualTo(Originals.Sender));
            Assert.That(reply.Subject, Is.EqualTo("Out of office: Your order #1234"));
            Assert.That(reply.Headers["Auto-Submitted"], Is.EqualTo("auto-replied"));
            Assert.That(reply.InReplyTo, Is.EqualTo("order-1234@shop.example.com"));
            Assert.That(reply.References, Is.EqualTo(new[] { "order-1234@shop.example.com" }));
            Assert.That(reply.TextBody, Does.Contain("out of the office"));
            Assert.That(result.Sender.IsNull, Is.True, "RFC 3834 §3.3: MAIL FROM:<> so nothing answers it");
            Assert.That(result.Recipients.Select(r => r.Address), Is.EqualTo(new[] { Originals.Sender }));
        });
    }

    [Test]
    public async Task The_default_subject_prefix_is_auto()
    {
        var original = await Originals.CaptureAsync(Addressed(Originals.Simple()), recipients: [Responder]);

        var reply = Reports.ReadBack(Builder.Build(original, new AutoReplyRequest(Responder)));

        Assert.That(reply.Subject, Is.EqualTo("Auto: Your order #1234"));
    }

    [Test]
    public async Task It_goes_to_the_envelope_sender_not_to_from_or_reply_to()
    {
        var content = Addressed(Originals.Simple());
        content.From.Clear();
        content.From.Add(new MailboxAddress("Shop", "orders@shop.example.com"));
        content.ReplyTo.Add(new MailboxAddress("Support", "support@shop.example.com"));
        var original = await Originals.CaptureAsync(content, sender: "bounces+1234@mailer.example.com", recipients: [Responder]);

        var result = Builder.Build(original, new AutoReplyRequest(Responder));

        Assert.That(Reports.ReadBack(result).To.Mailboxes.Single().Address, Is.EqualTo("bounces+1234@mailer.example.com"));
        Assert.That(result.Recipients.Single().Address, Is.EqualTo("bounces+1234@mailer.example.com"));
    }

    [Test]
    public async Task References_carry_the_thread_on()
    {
        var content = Addressed(Originals.Simple());
        content.InReplyTo = "second@example.com";
        content.References.Add("first@example.com");
        content.References.Add("second@example.com");
        var original = await Originals.CaptureAsync(content, recipients: [Responder]);

        var reply = Reports.ReadBack(Builder.Build(original, new AutoReplyRequest(Responder)));

        Assert.That(reply.References, Is.EqualTo(new[] { "first@example.com", "second@example.com", "order-1234@shop.example.com" }));
    }

    [Test]
    public async Task A_non_ascii_subject_is_kept_whole()
    {
        var original = await Originals.CaptureAsync(Addressed(Originals.Simple("Grüße aus Köln – 東京")), recipients: [Responder]);

        var reply = Reports.ReadBack(Builder.Build(original, new AutoReplyRequest(Responder)));

        Assert.That(reply.Subject, Is.EqualTo("Auto: Grüße aus Köln – 東京"));
    }

    [Test]
    public async Task A_message_without_a_message_id_gets_a_reply_without_in_reply_to()
    {
        var original = await Originals.CaptureAsync(Originals.WithoutMessageId.Replace("bob@example.net", Responder, StringComparison.Ordinal), recipients: [Responder]);

        var reply = Reports.ReadBack(Builder.Build(original, new AutoReplyRequest(Responder)));

        Assert.Multiple(() =>
        {
            Assert.That(reply.Subject, Is.EqualTo("Auto: no id here"));
            Assert.That(reply.InReplyTo, Is.Null);
            Assert.That(reply.References, Is.Empty);
        });
    }

    [Test]
    public async Task A_multipart_original_gets_a_plain_reply_without_its_attachments()
    {
        var original = await Originals.CaptureAsync(Addressed(Originals.WithAttachment()), recipients: [Responder]);

        var result = Builder.Build(original, new AutoReplyRequest(Responder));

        Assert.That(Reports.ReadBack(result).Attachments, Is.Empty);
        Assert.That(Reports.Contains(result, "invoice.pdf"u8.ToArray()), Is.False);
    }

    [Test]
    public async Task A_responder_the_message_did_not_go_to_is_refused_by_name()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var error = Assert.Throws<ArgumentException>(() => Builder.Build(original, new AutoReplyRequest(Responder)));

        Assert.That(error!.Message, Does.Contain($"'{Responder}' is not a recipient"));
    }

    /// <summary>The content addressed to the responder, as a person writing to it would.</summary>
    internal static MimeMessage Addressed(MimeMessage content)
    {
        content.To.Clear();
        content.To.Add(new MailboxAddress("Out of office", Responder));
        return content;
    }
}
