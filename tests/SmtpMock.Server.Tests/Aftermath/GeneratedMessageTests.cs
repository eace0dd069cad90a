using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Aftermath;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>What all three generated kinds share: their own Message-ID and Date, a link to the original, and no loops.</summary>
public class GeneratedMessageTests
{
    public static IEnumerable<TestCaseData> Kinds()
    {
        yield return new TestCaseData("bounce").SetArgDisplayNames("bounce");
        yield return new TestCaseData("autoreply").SetArgDisplayNames("autoreply");
        yield return new TestCaseData("complaint").SetArgDisplayNames("complaint");
    }

    [TestCaseSource(nameof(Kinds))]
    public async Task Each_generated_message_has_its_own_id_and_date_and_names_its_original(string name)
    {
        var time = new FakeTimeProvider(Reports.Now);
        var original = await Originals.CaptureAsync(AutoReplyTests.Addressed(Originals.Simple()), recipients: ["away@example.org"]);

        var first = Reports.ReadBack(Generate(name, original, Reports.Host(time)));
        time.Advance(TimeSpan.FromMinutes(5));
        var second = Reports.ReadBack(Generate(name, original, Reports.Host(time)));

        Assert.Multiple(() =>
        {
            Assert.That(first.Headers[GeneratedHeaders.Generated], Is.EqualTo(name));
            Assert.That(first.Headers[GeneratedHeaders.OriginalId], Is.EqualTo(original.Id));
            Assert.That(first.MessageId, Does.EndWith("@mx.test"));
            Assert.That(first.MessageId, Is.Not.EqualTo(second.MessageId).And.Not.EqualTo("order-1234@shop.example.com"));
            Assert.That(first.Date, Is.EqualTo(Reports.Now));
            Assert.That(second.Date, Is.EqualTo(Reports.Now.AddMinutes(5)));
        });
    }

    [TestCaseSource(nameof(Kinds))]
    public async Task Nothing_is_generated_about_a_message_from_the_null_sender(string name)
    {
        var original = await Originals.CaptureAsync(AutoReplyTests.Addressed(Originals.Simple()), sender: string.Empty, recipients: ["away@example.org"]);

        var result = Generate(name, original, Reports.Host());

        Assert.Multiple(() =>
        {
            Assert.That(result.Generated, Is.False);
            Assert.That(result.Recipients, Is.Empty);
            Assert.That(result.Reason, Does.Contain("<>"));
            Assert.That(result.ToString(), Is.EqualTo($"no {name}: {result.Reason}"));
            Assert.That(() => result.ToBytes(), Throws.InvalidOperationException.With.Message.Contains(result.Reason));
        });
    }

    [Test]
    public async Task A_bounce_captured_in_turn_never_bounces_again()
    {
        var original = await Originals.CaptureAsync(Originals.Simple());
        var bounce = new BounceBuilder(Reports.Host()).Build(original, BounceRequest.For([Originals.Recipient]));
        var captured = await Originals.CaptureAsync(System.Text.Encoding.UTF8.GetString(bounce.ToBytes()), sender: bounce.Sender.Address, recipients: [.. bounce.Recipients.Select(r => r.Address)]);

        var again = new BounceBuilder(Reports.Host()).Build(captured, BounceRequest.For([Originals.Sender]));

        Assert.That(captured.Sender.IsNull, Is.True);
        Assert.That(again.Generated, Is.False);
        Assert.That(again.Reason, Does.Contain("RFC 5321 §6.1"));
    }

    /// <summary>The builder for the kind named as <see cref="AftermathKinds.Name"/> names it.</summary>
    private static AftermathResult Generate(string name, CapturedMessage original, AftermathHost host)
    {
        var result = name switch
        {
            "bounce" => new BounceBuilder(host).Build(original, BounceRequest.For(["away@example.org"])),
            "autoreply" => new AutoReplyBuilder(host).Build(original, new AutoReplyRequest("away@example.org")),
            "complaint" => new ComplaintBuilder(host).Build(original, new ComplaintRequest()),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
        Assert.That(AftermathKinds.Name(result.Kind), Is.EqualTo(name));
        return result;
    }
}
