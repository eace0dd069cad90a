using MimeKit;
using MimeKit.Utils;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Aftermath;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>The delivery status notification (RFC 3464, RFC 6522) built from captured messages and read back by MimeKit.</summary>
public class BounceTests
{
    private static readonly BounceBuilder Builder = new(Reports.Host());

    [Test]
    public async Task A_bounce_is_a_multipart_report_to_the_envelope_sender_from_the_mailer_daemon()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));
        var dsn = Reports.ReadBack(result);
        var (text, _, _) = Reports.Parts(dsn, "delivery-status");

        Assert.Multiple(() =>
        {
            Assert.That(dsn.From.Mailboxes.Single().Address, Is.EqualTo("MAILER-DAEMON@mx.test"));
            Assert.That(dsn.To.Mailboxes.Single().Address, Is.EqualTo(Originals.Sender));
            Assert.That(dsn.Subject, Is.EqualTo("Undelivered Mail Returned to Sender"));
            Assert.That(dsn.Headers["Auto-Submitted"], Is.EqualTo("auto-replied"));
            Assert.That(result.Sender.IsNull, Is.True, "a DSN goes out with MAIL FROM:<> (RFC 5321 §4.5.5)");
            Assert.That(result.Recipients.Select(r => r.Address), Is.EqualTo(new[] { Originals.Sender }));
            Assert.That(result.Reason, Does.Contain("bob@example.net: 550 5.1.1"));
            Assert.That(text.Text, Does.Contain("<bob@example.net>: failed").And.Contain("550 5.1.1"));
        });
    }

    [Test]
    public async Task The_delivery_status_part_has_the_per_message_and_per_recipient_fields()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var dsn = Reports.ReadBack(Builder.Build(original, BounceRequest.For([Originals.Recipient])));
        var status = (MessageDeliveryStatus)Reports.Parts(dsn, "delivery-status").Report;

        Assert.That(status.ContentType.MimeType, Is.EqualTo("message/delivery-status"));
        Assert.That(status.StatusGroups, Has.Count.EqualTo(2), "one per-message group, one per recipient");
        var message = status.StatusGroups[0];
        var recipient = status.StatusGroups[1];
        Assert.Multiple(() =>
        {
            Assert.That(message["Reporting-MTA"], Is.EqualTo("dns; mx.test"));
            Assert.That(message["Received-From-MTA"], Is.EqualTo("dns; client.test"));
            Assert.That(Date(message["Arrival-Date"]), Is.EqualTo(Truncated(original.ReceivedAt)));
            Assert.That(message.Contains("Original-Envelope-Id"), Is.False, "MAIL had no ENVID");
            Assert.That(recipient["Final-Recipient"], Is.EqualTo("rfc822; bob@example.net"));
            Assert.That(recipient.Contains("Original-Recipient"), Is.False, "RCPT had no ORCPT");
            Assert.That(recipient["Action"], Is.EqualTo("failed"));
            Assert.That(recipient["Status"], Is.EqualTo("5.1.1"));
            Assert.That(recipient["Remote-MTA"], Is.EqualTo("dns; mx.test"));
            Assert.That(recipient["Diagnostic-Code"], Is.EqualTo("smtp; 550 5.1.1 Requested action not taken: mailbox unavailable"));
            Assert.That(Date(recipient["Last-Attempt-Date"]), Is.EqualTo(Reports.Now));
        });
    }

    [Test]
    public async Task The_original_header_fields_are_attached_octet_for_octet_as_text_rfc822_headers()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));
        var headers = (TextRfc822Headers)Reports.Parts(Reports.ReadBack(result), "delivery-status").Original;

        Assert.Multiple(() =>
        {
            Assert.That(headers.ContentType.MimeType, Is.EqualTo("text/rfc822-headers"));
            Assert.That(Reports.Contains(result, Originals.HeaderBlockOf(original)), Is.True, "the header block as captured");
            Assert.That(Reports.Contains(result, "Thank you for your order"u8.ToArray()), Is.False, "headers only, not the body");
            Assert.That(Reports.Inner(headers).MessageId, Is.EqualTo("order-1234@shop.example.com"));
            Assert.That(Reports.Inner(headers).Headers["X-Campaign"], Is.EqualTo("spring-sale"));
        });
    }

    [Test]
    public async Task A_552_bounce_says_mailbox_full_with_its_enhanced_code()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var dsn = Reports.ReadBack(Builder.Build(original, BounceRequest.For([Originals.Recipient], RecipientFailure.ReplyFor(552))));
        var recipient = ((MessageDeliveryStatus)Reports.Parts(dsn, "delivery-status").Report).StatusGroups[1];

        Assert.That(recipient["Status"], Is.EqualTo("5.2.2"));
        Assert.That(recipient["Diagnostic-Code"], Is.EqualTo("smtp; 552 5.2.2 Mailbox full"));
    }

    [Test]
    public async Task A_4xx_failure_is_reported_as_delayed()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var dsn = Reports.ReadBack(Builder.Build(original, BounceRequest.For([Originals.Recipient], new SmtpReply(451, "4.3.0", "Try again later"))));
        var recipient = ((MessageDeliveryStatus)Reports.Parts(dsn, "delivery-status").Report).StatusGroups[1];

        Assert.Multiple(() =>
        {
            Assert.That(dsn.Subject, Is.EqualTo("Delayed Mail (still being retried)"));
            Assert.That(recipient["Action"], Is.EqualTo("delayed"));
            Assert.That(recipient["Status"], Is.EqualTo("4.3.0"));
            Assert.That(recipient["Diagnostic-Code"], Is.EqualTo("smtp; 451 4.3.0 Try again later"));
        });
    }

    [Test]
    public async Task Only_the_failed_recipients_are_reported_each_with_its_own_reply()
    {
        var original = await Originals.CaptureAsync(Originals.Simple(), recipients: ["ok@example.net", "gone@example.net", "full@example.net"]);
        var request = new BounceRequest([new RecipientFailure("GONE@example.net", RecipientFailure.DefaultReply), new RecipientFailure("full@example.net", RecipientFailure.ReplyFor(552))]);

        var status = (MessageDeliveryStatus)Reports.Parts(Reports.ReadBack(Builder.Build(original, request)), "delivery-status").Report;

        Assert.That(status.StatusGroups.Skip(1).Select(g => (g["Final-Recipient"], g["Status"])), Is.EqualTo(new[]
        {
            ("rfc822; gone@example.net", "5.1.1"),
            ("rfc822; full@example.net", "5.2.2"),
        }));
    }

    [Test]
    public async Task A_multipart_message_with_an_attachment_keeps_only_its_headers_by_default()
    {
        var original = await Originals.CaptureAsync(Originals.WithAttachment());

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));
        var headers = (TextRfc822Headers)Reports.Parts(Reports.ReadBack(result), "delivery-status").Original;

        Assert.Multiple(() =>
        {
            Assert.That(Reports.Contains(result, Originals.HeaderBlockOf(original)), Is.True);
            Assert.That(Reports.Inner(headers).Body?.ContentType.MimeType, Is.EqualTo("multipart/mixed"));
            Assert.That(Reports.Contains(result, "invoice.pdf"u8.ToArray()), Is.False, "the attachment stays out");
        });
    }

    [Test]
    public async Task A_non_ascii_subject_comes_back_as_the_original_encoded_it()
    {
        var original = await Originals.CaptureAsync(Originals.Simple("Grüße aus Köln – 東京"));

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));
        var headers = (TextRfc822Headers)Reports.Parts(Reports.ReadBack(result), "delivery-status").Original;

        Assert.That(Reports.Inner(headers).Subject, Is.EqualTo("Grüße aus Köln – 東京"));
        Assert.That(Reports.Contains(result, Originals.HeaderBlockOf(original)), Is.True, "the encoded words as the client wrote them");
    }

    [Test]
    public async Task A_message_without_a_message_id_still_bounces_with_its_headers()
    {
        var original = await Originals.CaptureAsync(Originals.WithoutMessageId);

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));
        var headers = (TextRfc822Headers)Reports.Parts(Reports.ReadBack(result), "delivery-status").Original;

        Assert.That(Reports.Inner(headers).Subject, Is.EqualTo("no id here"));
        Assert.That(Reports.Contains(result, Originals.HeaderBlockOf(original)), Is.True);
    }

    [Test]
    public async Task A_message_with_8bit_headers_is_attached_as_8bit()
    {
        var original = await Originals.CaptureAsync("From: alice@example.com\r\nSubject: Grüße\r\n\r\nHallo.\r\n", mailParameters: " BODY=8BITMIME SMTPUTF8");

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));
        var headers = (TextRfc822Headers)Reports.Parts(Reports.ReadBack(result), "delivery-status").Original;

        Assert.That(headers.Headers[HeaderId.ContentTransferEncoding], Is.EqualTo("8bit"));
        Assert.That(Reports.Contains(result, "Subject: Grüße\r\n"u8.ToArray()), Is.True);
    }

    [TestCase("\"john smith\"@example.com", "", TestName = "A sender with a quoted local part gets its bounce")]
    [TestCase("jörg@bücher.example", " SMTPUTF8", TestName = "An international sender gets its bounce")]
    public async Task Any_sender_smtp_accepts_gets_its_bounce(string sender, string mailParameters)
    {
        var original = await Originals.CaptureAsync("Subject: hi\r\n\r\nHello.\r\n", sender, mailParameters: mailParameters);

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));

        Assert.That(result.Recipients.Single().Address, Is.EqualTo(sender));
        Assert.That(Reports.ReadBack(result).To.Mailboxes.Single().Address, Is.EqualTo(sender));
    }

    [Test]
    public async Task A_recipient_the_message_did_not_have_is_refused_by_name()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var error = Assert.Throws<ArgumentException>(() => Builder.Build(original, BounceRequest.For(["nobody@example.net"])));

        Assert.That(error!.Message, Does.Contain("'nobody@example.net' is not a recipient").And.Contain(original.Id).And.Contain(Originals.Recipient));
    }

    [TestCase(250)]
    [TestCase(354)]
    public void A_bounce_reply_must_be_a_failure(int code) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RecipientFailure.ReplyFor(code));

    private static DateTimeOffset Date(string? value)
    {
        Assert.That(DateUtils.TryParse(value, out var date), Is.True, $"'{value}' is an RFC 5322 date");
        return date;
    }

    /// <summary>RFC 5322 dates carry whole seconds.</summary>
    private static DateTimeOffset Truncated(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerSecond));
}
