using MimeKit;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Aftermath;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>
/// What the original's DSN parameters (RFC 3461) ask of a bounce: ENVID and ORCPT come back decoded, RET chooses
/// headers or the whole message, NOTIFY can ask for none. The server does not take these parameters at MAIL and RCPT
/// yet, so they are set on real captured content here.
/// </summary>
public class BounceParameterTests
{
    private static readonly BounceBuilder Builder = new(Reports.Host());

    [Test]
    public async Task Envid_and_orcpt_come_back_decoded_from_xtext()
    {
        var captured = await Originals.CaptureAsync(Originals.Simple());
        var original = Originals.WithDsnParameters(captured, [new EsmtpParameter("ENVID", "QQ314159+2Bshop")], [new EsmtpParameter("ORCPT", "rfc822;bob+2Btag@example.net")]);

        var status = Status(Builder.Build(original, BounceRequest.For([Originals.Recipient])));

        Assert.That(status.StatusGroups[0]["Original-Envelope-Id"], Is.EqualTo("QQ314159+shop"));
        Assert.That(status.StatusGroups[1]["Original-Recipient"], Is.EqualTo("rfc822; bob+tag@example.net"));
    }

    [Test]
    public async Task Ret_full_attaches_the_whole_message_octet_for_octet()
    {
        var captured = await Originals.CaptureAsync(Originals.WithAttachment());
        var original = Originals.WithDsnParameters(captured, [new EsmtpParameter("RET", "FULL")]);

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));
        var attached = (MessagePart)Reports.Parts(Reports.ReadBack(result), "delivery-status").Original;

        Assert.Multiple(() =>
        {
            Assert.That(attached.ContentType.MimeType, Is.EqualTo("message/rfc822"));
            Assert.That(Reports.Contains(result, captured.Raw.ToArray()), Is.True, "the original as captured");
            Assert.That(Reports.Inner(attached).Attachments.Select(a => a.ContentDisposition?.FileName), Is.EqualTo(new[] { "invoice.pdf" }));
            Assert.That(Reports.Inner(attached).MessageId, Is.EqualTo("order-1234@shop.example.com"));
        });
    }

    [Test]
    public async Task The_request_can_ask_for_the_whole_message_when_ret_said_nothing()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]) with { ReturnFullMessage = true });

        Assert.That(Reports.Parts(Reports.ReadBack(result), "delivery-status").Original, Is.TypeOf<MessagePart>());
        Assert.That(Reports.Contains(result, original.Raw.ToArray()), Is.True);
    }

    [Test]
    public async Task Ret_hdrs_attaches_the_headers_only()
    {
        var captured = await Originals.CaptureAsync(Originals.Simple());
        var original = Originals.WithDsnParameters(captured, [new EsmtpParameter("RET", "HDRS")]);

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient]));

        Assert.That(Reports.Parts(Reports.ReadBack(result), "delivery-status").Original, Is.TypeOf<TextRfc822Headers>());
    }

    [TestCase("NEVER", 550, TestName = "NOTIFY=NEVER gets no bounce")]
    [TestCase("SUCCESS,DELAY", 550, TestName = "NOTIFY without FAILURE gets no failure report")]
    [TestCase("FAILURE", 451, TestName = "NOTIFY without DELAY gets no delay report")]
    public async Task Notify_can_ask_for_no_report(string notify, int code)
    {
        var captured = await Originals.CaptureAsync(Originals.Simple());
        var original = Originals.WithDsnParameters(captured, [], [new EsmtpParameter("NOTIFY", notify)]);

        var result = Builder.Build(original, BounceRequest.For([Originals.Recipient], RecipientFailure.ReplyFor(code)));

        Assert.That(result.Generated, Is.False);
        Assert.That(result.Reason, Does.Contain("NOTIFY").And.Contain("RFC 3461"));
        Assert.That(result.Recipients, Is.Empty);
    }

    [Test]
    public async Task Notify_is_read_per_recipient()
    {
        var captured = await Originals.CaptureAsync(Originals.Simple(), recipients: ["quiet@example.net", "loud@example.net"]);
        var original = Originals.WithDsnParameters(captured, [], [new EsmtpParameter("NOTIFY", "NEVER")], [new EsmtpParameter("NOTIFY", "FAILURE,DELAY")]);

        var status = Status(Builder.Build(original, BounceRequest.For(["quiet@example.net", "loud@example.net"])));

        Assert.That(status.StatusGroups.Skip(1).Select(g => g["Final-Recipient"]), Is.EqualTo(new[] { "rfc822; loud@example.net" }));
    }

    [TestCase("bob+2Btag@example.net", "bob+tag@example.net")]
    [TestCase("+C3+BCber@example.net", "über@example.net")]
    [TestCase("plain", "plain")]
    [TestCase("a+ZZ+4", "a+ZZ+4")]
    public void Xtext_decodes_hex_pairs_and_keeps_what_is_not_one(string xtext, string decoded) =>
        Assert.That(DsnParameters.DecodeXtext(xtext), Is.EqualTo(decoded));

    private static MessageDeliveryStatus Status(AftermathResult result) =>
        (MessageDeliveryStatus)Reports.Parts(Reports.ReadBack(result), "delivery-status").Report;
}
