using System.Net;
using System.Text.Json;

namespace SmtpMock.Control.Tests.Compat.MailHog;

/// <summary>MailHog's message endpoints on their own port: pages, search by kind, v1's list, one message, download, deletes.</summary>
[TestFixture]
public sealed class MailHogMessagesTests : MailHogFixture
{
    [Test]
    public async Task V2_pages_newest_first_with_MailHogs_start_and_limit()
    {
        await SendAsync(Message("first"), Message("second"), Message("third"));

        var page = await MailHogJsonAsync("api/v2/messages?start=1&limit=1");
        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(3));
        Assert.That(page.GetProperty("count").GetInt32(), Is.EqualTo(1));
        Assert.That(page.GetProperty("start").GetInt32(), Is.EqualTo(1));
        Assert.That(Subjects(page), Is.EqualTo(new[] { "second" }));

        var all = await MailHogJsonAsync("api/v2/messages?start=-4&limit=nonsense");
        Assert.That(Subjects(all), Is.EqualTo(new[] { "third", "second", "first" }), "a bad start is 0 and a bad limit 50, as MailHog");
        Assert.That((await MailHogJsonAsync("api/v2/messages?start=9")).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Search_by_each_kind_any_case()
    {
        await SendAsync(Message("to bob", to: "bob@example.test"), Message("from carol", to: "erin@other.test", from: "Carol <carol@other.test>"));

        Assert.That(Subjects(await MailHogJsonAsync("api/v2/search?kind=to&query=BOB@")), Is.EqualTo(new[] { "to bob" }));
        Assert.That(Subjects(await MailHogJsonAsync("api/v2/search?kind=from&query=carol")), Is.EqualTo(new[] { "from carol" }));
        Assert.That(Subjects(await MailHogJsonAsync("api/v2/search?kind=containing&query=BODY%20OF%20TO")), Is.EqualTo(new[] { "to bob" }));
        Assert.That(Subjects(await MailHogJsonAsync("api/v2/search?kind=containing&query=subject:%20from")), Is.EqualTo(new[] { "from carol" }), "headers are searched too");
        var both = await MailHogJsonAsync("api/v2/search?kind=containing&query=body%20of&limit=1");
        Assert.That(both.GetProperty("total").GetInt64(), Is.EqualTo(2));
        Assert.That(both.GetProperty("count").GetInt32(), Is.EqualTo(1));

        using var bad = await MailHogHttp.GetAsync("api/v2/search?kind=subject&query=x");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("from, to or containing"));
        using var empty = await MailHogHttp.GetAsync("api/v2/search?kind=to&query=");
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task V1_lists_gets_downloads_and_deletes()
    {
        await SendAsync(Message("one"), Message("two"));
        var list = await MailHogJsonAsync("api/v1/messages");
        Assert.That(list.ValueKind, Is.EqualTo(JsonValueKind.Array));
        var ids = list.EnumerateArray().Select(m => m.GetProperty("ID").GetString()!).ToArray();
        Assert.That(ids, Has.Length.EqualTo(2));

        var one = await MailHogJsonAsync($"api/v1/messages/{ids[0]}");
        Assert.That(one.GetProperty("Content").GetProperty("Headers").GetProperty("Subject")[0].GetString(), Is.EqualTo("two"));
        Assert.That(Server.Messages.Find(ids[0])!.Read, Is.True, "opened by a client");

        using (var download = await MailHogHttp.GetAsync($"api/v1/messages/{ids[1]}/download"))
        {
            Assert.That(download.Content.Headers.ContentType!.MediaType, Is.EqualTo("message/rfc822"));
            Assert.That(download.Content.Headers.ContentDisposition!.ToString(), Is.EqualTo($"attachment; filename=\"{ids[1]}.eml\""));
            var text = await download.Content.ReadAsStringAsync();
            Assert.That(text, Does.Contain("Subject: one\r\n").And.Contain("Return-Path: <alice@example.test>\r\n").And.Contain("\r\n\r\nBody of one"));
        }

        using (var missing = await MailHogHttp.GetAsync("api/v1/messages/nope"))
        {
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        using (var delete = await MailHogHttp.DeleteAsync($"api/v1/messages/{ids[0]}"))
        {
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await delete.Content.ReadAsStringAsync(), Is.Empty, "MailHog answers a delete with no body");
        }

        Assert.That(Server.Messages.Count, Is.EqualTo(1));
        using (var again = await MailHogHttp.DeleteAsync($"api/v1/messages/{ids[0]}"))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        using (var all = await MailHogHttp.DeleteAsync("api/v1/messages"))
        {
            Assert.That(all.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(Server.Messages.Count, Is.Zero);
    }

    [Test]
    public async Task Root_links_to_our_page_and_unknown_paths_are_404()
    {
        var home = await MailHogHttp.GetStringAsync("/");
        Assert.That(home, Does.Contain($"href=\"{Control.BaseAddress}\""));
        using var unknown = await MailHogHttp.GetAsync("api/v3/nothing");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("docs/migrating.md"));
        using var missing = await MailHogHttp.GetAsync("api/v2/outgoing-smtp");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented), "what MailHog has and SmtpMock has not says so");
        Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("--relay"));
    }

    [Test]
    public async Task A_part_downloads_with_its_headers_and_base64_decoded()
    {
        var message = Message("with attachment");
        var attachment = new MimeKit.MimePart("application", "octet-stream") { Content = new MimeKit.MimeContent(new MemoryStream([1, 2, 3, 250])), ContentTransferEncoding = MimeKit.ContentEncoding.Base64, FileName = "data.bin" };
        message.Body = new MimeKit.Multipart("mixed") { message.Body!, attachment };
        await SendAsync(message);
        var id = Server.Messages.Messages.Single().Id;

        using var part = await MailHogHttp.GetAsync($"api/v1/messages/{id}/mime/part/1/download");
        Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await part.Content.ReadAsByteArrayAsync(), Is.EqualTo(new byte[] { 1, 2, 3, 250 }));
        Assert.That(part.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        Assert.That(part.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("data.bin"), "the part's own disposition wins, as in MailHog");
        using var beyond = await MailHogHttp.GetAsync($"api/v1/messages/{id}/mime/part/9/download");
        Assert.That(beyond.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static string[] Subjects(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("Content").GetProperty("Headers").GetProperty("Subject")[0].GetString()!)];
}
