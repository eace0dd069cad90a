using MimeKit;
using MimeKit.Utils;
using SmtpMock.Server.Aftermath;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>The feedback report (RFC 5965, ARF) built from captured messages and read back by MimeKit.</summary>
public class ComplaintTests
{
    private static readonly ComplaintBuilder Builder = new(Reports.Host());

    [Test]
    public async Task A_complaint_is_a_feedback_report_to_the_envelope_sender()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var result = Builder.Build(original, new ComplaintRequest());
        var report = Reports.ReadBack(result);
        var (text, _, _) = Reports.Parts(report, "feedback-report");

        Assert.Multiple(() =>
        {
            Assert.That(report.From.Mailboxes.Single().Address, Is.EqualTo("abuse@mx.test"));
            Assert.That(report.To.Mailboxes.Single().Address, Is.EqualTo(Originals.Sender));
            Assert.That(report.Subject, Is.EqualTo("Abuse report: Your order #1234"));
            Assert.That(report.Headers["Auto-Submitted"], Is.EqualTo("auto-generated"));
            Assert.That(result.Sender.IsNull, Is.True);
            Assert.That(result.Recipients.Select(r => r.Address), Is.EqualTo(new[] { Originals.Sender }));
            Assert.That(result.Reason, Is.EqualTo("bob@example.net reported it as abuse"));
            Assert.That(text.Text, Does.Contain("abuse report").And.Contain("from IP 127.0.0.1"));
        });
    }

    [Test]
    public async Task The_feedback_report_part_has_the_required_and_known_fields()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var report = (MessageFeedbackReport)Reports.Parts(Reports.ReadBack(Builder.Build(original, new ComplaintRequest())), "feedback-report").Report;
        var fields = report.Fields;

        Assert.That(report.ContentType.MimeType, Is.EqualTo("message/feedback-report"));
        Assert.Multiple(() =>
        {
            // RFC 5965 §3.1: these three exactly once.
            Assert.That(fields.Count(f => f.Field == "Feedback-Type"), Is.EqualTo(1));
            Assert.That(fields["Feedback-Type"], Is.EqualTo("abuse"));
            Assert.That(fields["User-Agent"], Is.EqualTo($"SmtpMock/{ServerVersion.Text}"));
            Assert.That(fields["Version"], Is.EqualTo("1"));
            Assert.That(fields["Original-Mail-From"], Is.EqualTo("<alice@example.com>"));
            Assert.That(fields["Original-Rcpt-To"], Is.EqualTo("<bob@example.net>"));
            Assert.That(DateUtils.TryParse(fields["Arrival-Date"], out var arrival) && arrival == original.ReceivedAt.AddTicks(-(original.ReceivedAt.Ticks % TimeSpan.TicksPerSecond)), Is.True, fields["Arrival-Date"]);
            Assert.That(fields["Reporting-MTA"], Is.EqualTo("dns; mx.test"));
            Assert.That(fields["Source-IP"], Is.EqualTo("127.0.0.1"));
            Assert.That(fields["Source-Port"], Is.EqualTo("40000"));
            Assert.That(fields.Where(f => f.Field == "Reported-Domain").Select(f => f.Value), Is.EqualTo(new[] { "example.com" }));
        });
    }

    [Test]
    public async Task The_whole_original_is_attached_octet_for_octet_by_default()
    {
        var original = await Originals.CaptureAsync(Originals.WithAttachment());

        var result = Builder.Build(original, new ComplaintRequest());
        var attached = (MessagePart)Reports.Parts(Reports.ReadBack(result), "feedback-report").Original;

        Assert.Multiple(() =>
        {
            Assert.That(attached.ContentType.MimeType, Is.EqualTo("message/rfc822"));
            Assert.That(Reports.Contains(result, original.Raw.ToArray()), Is.True);
            Assert.That(Reports.Inner(attached).Attachments.Select(a => a.ContentDisposition?.FileName), Is.EqualTo(new[] { "invoice.pdf" }));
        });
    }

    [Test]
    public async Task Headers_only_attaches_text_rfc822_headers()
    {
        var original = await Originals.CaptureAsync(Originals.Simple("Grüße aus Köln"));

        var result = Builder.Build(original, new ComplaintRequest { IncludeFullMessage = false });
        var headers = (TextRfc822Headers)Reports.Parts(Reports.ReadBack(result), "feedback-report").Original;

        Assert.That(Reports.Inner(headers).Subject, Is.EqualTo("Grüße aus Köln"));
        Assert.That(Reports.Contains(result, Originals.HeaderBlockOf(original)), Is.True);
    }

    [TestCase("abuse")]
    [TestCase("fraud")]
    [TestCase("virus")]
    [TestCase("other")]
    [TestCase("not-spam")]
    public async Task Each_feedback_type_is_named_as_rfc_5965_names_it(string name)
    {
        var original = await Originals.CaptureAsync(Originals.Simple());
        Assert.That(FeedbackTypes.TryParse(name.ToUpperInvariant(), out var type), Is.True);

        var report = (MessageFeedbackReport)Reports.Parts(Reports.ReadBack(Builder.Build(original, new ComplaintRequest { Type = type })), "feedback-report").Report;

        Assert.That(report.Fields["Feedback-Type"], Is.EqualTo(name));
        Assert.That(FeedbackTypes.Name(type), Is.EqualTo(name));
    }

    [Test]
    public void An_unknown_feedback_type_is_not_parsed() =>
        Assert.That(FeedbackTypes.TryParse("spam", out _), Is.False, string.Join(", ", FeedbackTypes.Names));

    [Test]
    public async Task Only_the_complainants_are_named_and_a_different_from_domain_is_reported_too()
    {
        var content = Originals.Simple();
        content.From.Clear();
        content.From.Add(new MailboxAddress("Shop", "news@shop.example.org"));
        var original = await Originals.CaptureAsync(content, recipients: ["a@example.net", "b@example.net"]);

        var fields = ((MessageFeedbackReport)Reports.Parts(Reports.ReadBack(Builder.Build(original, new ComplaintRequest { Complainants = ["B@example.net"] })), "feedback-report").Report).Fields;

        Assert.That(fields.Where(f => f.Field == "Original-Rcpt-To").Select(f => f.Value), Is.EqualTo(new[] { "<b@example.net>" }));
        Assert.That(fields.Where(f => f.Field == "Reported-Domain").Select(f => f.Value), Is.EqualTo(new[] { "example.com", "shop.example.org" }));
    }

    [Test]
    public async Task A_message_without_a_message_id_still_gets_its_report()
    {
        var original = await Originals.CaptureAsync(Originals.WithoutMessageId);

        var result = Builder.Build(original, new ComplaintRequest());

        Assert.That(Reports.Parts(Reports.ReadBack(result), "feedback-report").Original, Is.TypeOf<MessagePart>());
        Assert.That(Reports.Contains(result, original.Raw.ToArray()), Is.True);
    }

    [TestCase("[::ffff:10.0.0.7]:5000", "10.0.0.7", "5000", TestName = "An IPv4 client of a dual-stack listener is reported as IPv4")]
    [TestCase("[2001:db8::25]:40001", "2001:db8::25", "40001", TestName = "An IPv6 client is reported as IPv6")]
    [TestCase("(unknown)", null, null, TestName = "An unknown client gives no Source-IP")]
    public async Task The_source_is_the_client_the_message_came_from(string client, string? ip, string? port)
    {
        var original = Originals.FromClient(await Originals.CaptureAsync(Originals.Simple()), client);

        var fields = ((MessageFeedbackReport)Reports.Parts(Reports.ReadBack(Builder.Build(original, new ComplaintRequest())), "feedback-report").Report).Fields;

        Assert.That(fields["Source-IP"], Is.EqualTo(ip));
        Assert.That(fields["Source-Port"], Is.EqualTo(port));
    }

    [Test]
    public async Task A_complainant_the_message_did_not_go_to_is_refused_by_name()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var error = Assert.Throws<ArgumentException>(() => Builder.Build(original, new ComplaintRequest { Complainants = ["carol@example.net"] }));

        Assert.That(error!.Message, Does.Contain("'carol@example.net' is not a recipient"));
    }
}
