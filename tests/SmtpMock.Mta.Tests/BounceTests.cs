using System.Text.RegularExpressions;
using MimeKit;

namespace SmtpMock.Mta.Tests;

/// <summary>
/// A 552 after the final dot is permanent: Postfix bounces the message to its sender, and the bounce (relayed to
/// SmtpMock like all mail here) quotes SmtpMock's reply in its Diagnostic-Code.
/// </summary>
[TestFixture]
public sealed partial class BounceTests : MtaTest
{
    private const string Recipient = "552-data@smtpmock.test";

    [Test]
    public async Task A_552_after_data_is_bounced_and_the_dsn_carries_our_reply()
    {
        await StartMockAsync();
        var postfix = await StartPostfixAsync();

        await postfix.SubmitAsync(Sender, Recipient, "too big, says the server");

        await postfix.WaitForLogAsync(Delivery(Recipient, "bounced", MockSaid + @"552 5\.3\.4 .*\(in reply to end of DATA command\)\)"));
        await postfix.WaitForLogAsync(NonDeliveryNotice());
        var bounces = await Mock.Api.WaitForMessagesAsync(1, Sender, Deadline);
        await postfix.WaitUntilEmptyAsync();

        Assert.That(await Mock.Api.MessagesAsync(Recipient), Is.Empty, "a message refused with 552 is not captured");
        Assert.That(bounces, Has.Count.EqualTo(1));
        Assert.That(bounces[0].From, Is.Empty, "a delivery status notification has the null sender, MAIL FROM:<>");

        var ourReply = await RefusalReplyAsync();
        var report = (await Mock.Api.RawAsync(bounces[0].Id)).Body as MultipartReport;
        Assert.That(report?.ReportType, Is.EqualTo("delivery-status"), "the bounce is a multipart/report");
        var status = report!.OfType<MessageDeliveryStatus>().Single();
        var perRecipient = status.StatusGroups[1];
        Assert.Multiple(() =>
        {
            Assert.That(perRecipient["Final-Recipient"], Is.EqualTo("rfc822; " + Recipient));
            Assert.That(perRecipient["Action"], Is.EqualTo("failed"));
            Assert.That(perRecipient["Status"], Is.EqualTo("5.3.4"));
            Assert.That(Unfolded(perRecipient["Diagnostic-Code"]), Is.EqualTo("smtp; " + ourReply));
        });
    }

    /// <summary>The reply SmtpMock sent after the final dot, as its transcript has it (written by the failure address).</summary>
    private async Task<string> RefusalReplyAsync()
    {
        var lines = (await Mock.Api.SessionDetailsAsync()).SelectMany(s => s.Transcript);
        return lines.Single(l => l.Direction == "out" && l.Rule == "simulator:552-data").Line;
    }

    /// <summary>Postfix folds a long Diagnostic-Code over several lines.</summary>
    private static string Unfolded(string? value) => Whitespace().Replace(value?.Trim() ?? "(none)", " ");

    [GeneratedRegex(@"postfix/bounce\[\d+\]: \w+: sender non-delivery notification: \w+")]
    private static partial Regex NonDeliveryNotice();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
