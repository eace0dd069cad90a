using SmtpMock.Server.Aftermath;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>When no automatic response is sent (RFC 3834 §2), each with the reason a caller notes.</summary>
public class AutoReplyRuleTests
{
    private const string Responder = "away@example.org";
    private static readonly AutoReplyBuilder Builder = new(Reports.Host());

    [TestCase("Auto-Submitted: auto-generated", "Auto-Submitted: auto-generated", TestName = "An auto-generated message gets no reply")]
    [TestCase("Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied", TestName = "An auto-reply gets no reply")]
    [TestCase("Auto-Submitted: auto-notified; owner-email=\"x@example.com\"", "Auto-Submitted: auto-notified", TestName = "Any Auto-Submitted but no gets no reply")]
    [TestCase("List-Id: Sale news <news.shop.example.com>", "List-Id", TestName = "A message from a list gets no reply")]
    [TestCase("List-Unsubscribe: <mailto:leave@shop.example.com>", "List-Unsubscribe", TestName = "Any List field means a list")]
    [TestCase("Precedence: bulk", "Precedence: bulk", TestName = "Bulk mail gets no reply")]
    [TestCase("Precedence: junk", "Precedence: junk", TestName = "Junk mail gets no reply")]
    [TestCase("Precedence: list", "Precedence: list", TestName = "List precedence gets no reply")]
    public async Task Automatic_and_list_mail_gets_no_reply(string field, string named)
    {
        var original = await Originals.CaptureAsync(Content(field), recipients: [Responder]);

        var result = Builder.Build(original, new AutoReplyRequest(Responder));

        Assert.Multiple(() =>
        {
            Assert.That(result.Generated, Is.False);
            Assert.That(result.Message, Is.Null);
            Assert.That(result.Recipients, Is.Empty);
            Assert.That(result.Reason, Does.Contain(named).And.Contain("RFC 3834 §2"));
            Assert.That(result.ToString(), Does.StartWith("no autoreply: "));
        });
    }

    [TestCase("Auto-Submitted: no")]
    [TestCase("Auto-Submitted: No (a person wrote this)")]
    [TestCase("Precedence: first-class")]
    public async Task A_message_a_person_sent_gets_a_reply(string field)
    {
        var original = await Originals.CaptureAsync(Content(field), recipients: [Responder]);

        Assert.That(Builder.Build(original, new AutoReplyRequest(Responder)).Generated, Is.True);
    }

    [Test]
    public async Task A_message_from_the_null_sender_gets_no_reply()
    {
        var original = await Originals.CaptureAsync(Content("X-Note: sent by a daemon"), sender: string.Empty, recipients: [Responder]);

        var result = Builder.Build(original, new AutoReplyRequest(Responder));

        Assert.That(result.Generated, Is.False);
        Assert.That(result.Reason, Does.Contain("<>"));
    }

    [TestCase("Cc", true)]
    [TestCase("Bcc", true)]
    [TestCase("Resent-To", true)]
    [TestCase("X-Original-To", false)]
    public async Task An_absence_notice_answers_only_mail_addressed_to_its_recipient(string field, bool replies)
    {
        var content = $"From: alice@example.com\r\nTo: everyone@lists.example.com\r\n{field}: {Responder}\r\nSubject: hi\r\n\r\nHello.\r\n";
        var original = await Originals.CaptureAsync(content, recipients: [Responder]);

        var result = Builder.Build(original, new AutoReplyRequest(Responder));

        Assert.That(result.Generated, Is.EqualTo(replies), result.Reason);
        if (!replies)
        {
            Assert.That(result.Reason, Does.Contain("none of the message's To, Cc or Bcc"));
        }
    }

    [Test]
    public async Task A_bounce_gets_no_auto_reply()
    {
        var original = await Originals.CaptureAsync(AutoReplyTests.Addressed(Originals.Simple()), recipients: [Responder]);
        var bounce = new BounceBuilder(Reports.Host()).Build(original, BounceRequest.For([Responder]));
        var captured = await Originals.CaptureAsync(System.Text.Encoding.UTF8.GetString(bounce.ToBytes()), sender: string.Empty, recipients: [Responder]);

        var result = Builder.Build(captured, new AutoReplyRequest(Responder));

        Assert.That(result.Generated, Is.False);
    }

    private static string Content(string field) =>
        $"From: alice@example.com\r\nTo: {Responder}\r\n{field}\r\nSubject: hi\r\nMessage-ID: <hi@example.com>\r\n\r\nHello.\r\n";
}
