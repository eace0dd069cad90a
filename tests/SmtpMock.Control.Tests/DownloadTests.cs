using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SmtpMock.Control.Tests;

/// <summary>How files leave the control plane: attachments under their own names, the page's files with ETags.</summary>
public sealed class DownloadTests : ControlFixture
{
    [Test]
    public async Task An_attachment_with_a_non_ascii_name_downloads_under_that_name()
    {
        const string name = "Übersicht 報告.pdf";
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n%%EOF\n");
        var message = Message("report");
        var body = new MimeKit.BodyBuilder { TextBody = "attached" };
        body.Attachments.Add(name, pdf, MimeKit.ContentType.Parse("application/pdf"));
        message.Body = body.ToMessageBody();
        await SendAsync(message);
        var id = Server.Messages.Messages.Single().Id;

        using var response = await Http.GetAsync($"api/v1/messages/{id}/attachments/0");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.That(disposition.DispositionType, Is.EqualTo("attachment"));
        Assert.That(disposition.FileNameStar, Is.EqualTo(name), "filename* (RFC 6266/5987) carries the name as it is");
        Assert.That(response.Content.Headers.GetValues("Content-Disposition").Single(), Does.Contain("filename*=UTF-8''%C3%9Cbersicht%20%E5%A0%B1%E5%91%8A.pdf"));
        Assert.That(disposition.FileName, Is.Not.Null.And.Not.Empty, "an ASCII filename for clients that do not read filename*");
        Assert.That(Encoding.UTF8.GetBytes(disposition.FileName!).All(b => b < 0x80), Is.True, disposition.FileName);
        Assert.That(response.Headers.GetValues("X-Attachment-Content-Type").Single(), Is.EqualTo("application/pdf"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(pdf));
    }

    [TestCase("app.js")]
    [TestCase("")]
    public async Task A_page_file_has_an_etag_and_answers_304_while_it_matches(string path)
    {
        using var first = await Http.GetAsync(path);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var tag = first.Headers.ETag;
        Assert.That(tag, Is.Not.Null);
        Assert.That(tag!.IsWeak, Is.False, "a hash of the bytes: strong");
        Assert.That(first.Headers.CacheControl!.NoCache, Is.True, "asked again on every load");
        var bytes = await first.Content.ReadAsByteArrayAsync();
        Assert.That(bytes, Is.Not.Empty);

        using var same = new HttpRequestMessage(HttpMethod.Get, path);
        same.Headers.IfNoneMatch.Add(tag);
        using var unchanged = await Http.SendAsync(same);
        Assert.That(unchanged.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(unchanged.Headers.ETag, Is.EqualTo(tag));
        Assert.That(await unchanged.Content.ReadAsByteArrayAsync(), Is.Empty);

        using var other = new HttpRequestMessage(HttpMethod.Get, path);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"an-older-file\""));
        using var changed = await Http.SendAsync(other);
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await changed.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Each_page_file_has_its_own_etag()
    {
        using var script = await Http.GetAsync("app.js");
        using var style = await Http.GetAsync("app.css");
        using var page = await Http.GetAsync("index.html");
        using var root = await Http.GetAsync(string.Empty);

        Assert.That(script.Headers.ETag, Is.Not.EqualTo(style.Headers.ETag));
        Assert.That(root.Headers.ETag, Is.EqualTo(page.Headers.ETag), "/ is index.html");
    }
}
