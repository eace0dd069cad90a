using System.Text;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Tests;

/// <summary>
/// What a list needs is taken in one parse and kept; the parsed tree is not (issue #25 item 4: ten 30 MB messages listed
/// once held 300 MB the store's budget never counted).
/// </summary>
public class ContentSummaryTests
{
    private static CapturedMessage Captured(string content) =>
        new("id", 1, DateTimeOffset.UtcNow, "127.0.0.1:1", "client.test", new MailPath("a", "example.com", null), [], [], Encoding.UTF8.GetBytes(content));

    [Test]
    public void The_search_columns_from_one_parse_are_what_the_three_separate_reads_give()
    {
        const string content =
            "From: Ann <ann@example.com>\r\nTo: bob@example.com\r\nSubject: Columns\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe body, with (brackets) and <angles>\r\n" +
            "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\n\r\n%PDF\r\n--b--\r\n";
        var separately = Captured(content);
        var together = Captured(content);

        var columns = SearchText.Columns(together);

        Assert.That(System.Text.Json.JsonSerializer.Serialize(columns.Summary), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(separately.Summary)));
        Assert.That(columns.BodyText, Is.EqualTo(separately.BodyText));
        Assert.That(columns.SearchText, Is.EqualTo(SearchText.Of(separately)).And.Contain("report.pdf").And.Contain("The body"));
        Assert.That(together.Summary, Is.SameAs(columns.Summary), "the message keeps the summary read with the columns");
    }

    [Test]
    public void The_summary_has_what_a_list_shows()
    {
        var message = Captured(
            "From: Ann Example <ann@example.com>\r\nTo: bob@example.com, \"Carol\" <carol@example.com>\r\nCc: dave@example.com\r\n" +
            "Reply-To: replies@example.com\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nMessage-ID: <abc@example.com>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\n" +
            "X-Tags: signup, test ,signup\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
            "--b\r\nContent-Type: text/html\r\n\r\n<html><head><title>T</title><style>p{}</style></head><body><p>Hello&nbsp;<b>there</b></p>\r\n<p>friend</p></body></html>\r\n" +
            "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\n%PDF\r\n--b--\r\n");

        var summary = message.Summary;

        Assert.That(summary.Subject, Is.EqualTo("Grüße"));
        Assert.That(summary.MessageId, Is.EqualTo("abc@example.com"));
        Assert.That(summary.From, Is.EqualTo(new HeaderAddress("Ann Example", "ann@example.com")));
        Assert.That(summary.To.Select(a => a.Address), Is.EqualTo(new[] { "bob@example.com", "carol@example.com" }));
        Assert.That(summary.Cc.Single().Address, Is.EqualTo("dave@example.com"));
        Assert.That(summary.ReplyTo.Single().Address, Is.EqualTo("replies@example.com"));
        Assert.That(summary.Date, Is.EqualTo(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(1))));
        Assert.That(summary.Attachments, Is.EqualTo(1));
        Assert.That((summary.HasHtml, summary.HasText), Is.EqualTo((true, false)));
        Assert.That(summary.Snippet, Is.EqualTo("Hello there friend"));
        Assert.That(summary.HeaderTags, Is.EqualTo(new[] { "signup", "test" }));
    }

    [Test]
    public void A_long_text_is_cut_at_200_octets_on_a_character_and_content_without_headers_still_has_a_summary()
    {
        var summary = Captured("Subject: long\r\n\r\n" + string.Concat(Enumerable.Repeat("é word  \r\n", 100))).Summary;
        Assert.That(summary.Snippet, Does.EndWith("...").And.StartWith("é word é word"));
        Assert.That(Encoding.UTF8.GetByteCount(summary.Snippet[..^3]), Is.LessThanOrEqualTo(200));

        var bare = Captured("no header block at all").Summary;
        Assert.That((bare.Subject, bare.Snippet), Is.EqualTo(((string?)null, "no header block at all")));
    }

    [Test]
    public void The_parsed_tree_is_not_kept_by_the_message()
    {
        var message = Captured("Subject: tree\r\n\r\nbody\r\n");
        _ = message.Summary;

        var tree = TreeOf(message);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.That(tree.IsAlive, Is.False, "nothing but the caller held the parsed message");
        var first = message.Message;
        var second = message.Message;
        Assert.That(second, Is.Not.SameAs(first), "each call parses anew");
    }

    // In its own method, so no local of the test keeps the tree alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference TreeOf(CapturedMessage message) => new(message.Message);
}
