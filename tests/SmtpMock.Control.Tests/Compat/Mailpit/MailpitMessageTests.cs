using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace SmtpMock.Control.Tests.Compat.Mailpit;

/// <summary>One message on the Mailpit port: summary, headers, raw source, parts and the views.</summary>
public sealed class MailpitMessageTests : MailpitFixture
{
    [Test]
    public async Task The_message_has_mailpits_fields_part_ids_and_checksums_and_reading_it_marks_it_read()
    {
        await SendAsync(WithAttachments("With parts"));
        var id = (await IdsAsync())[0];

        var message = await MailpitJsonAsync($"api/v1/message/{id}");
        Assert.That(message.GetProperty("ID").GetString(), Is.EqualTo(id));
        Assert.That(message.GetProperty("Subject").GetString(), Is.EqualTo("With parts"));
        Assert.That(message.GetProperty("From").GetProperty("Address").GetString(), Is.EqualTo("alice@example.test"));
        Assert.That(message.GetProperty("To")[0].GetProperty("Name").GetString(), Is.EqualTo("Bob Example"));
        Assert.That(message.GetProperty("Cc")[0].GetProperty("Address").GetString(), Is.EqualTo("carol@example.test"));
        Assert.That(message.GetProperty("ReturnPath").GetString(), Is.EqualTo("alice@example.test"));
        Assert.That(message.GetProperty("Text").GetString()!.TrimEnd(), Is.EqualTo("Hello text"));
        Assert.That(message.GetProperty("HTML").GetString(), Does.Contain("<b>html</b>"));
        Assert.That(message.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "first", "second", "signup" }));
        Assert.That(message.GetProperty("ListUnsubscribe").GetProperty("Links").EnumerateArray().Select(l => l.GetString()),
            Is.EqualTo(new[] { "mailto:leave@example.test", "https://example.test/leave" }));

        var inline = message.GetProperty("Inline").EnumerateArray().Single();
        Assert.That(inline.GetProperty("FileName").GetString(), Is.EqualTo("logo.png"));
        Assert.That(inline.GetProperty("ContentID").GetString(), Is.EqualTo("logo@example.test"));
        var attachment = message.GetProperty("Attachments").EnumerateArray().Single();
        Assert.That(attachment.GetProperty("PartID").GetString(), Is.EqualTo("2"));
        Assert.That(attachment.GetProperty("ContentType").GetString(), Is.EqualTo("application/pdf"));
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 report");
        Assert.That(attachment.GetProperty("Size").GetInt32(), Is.EqualTo(pdf.Length));
        Assert.That(attachment.GetProperty("Checksums").GetProperty("SHA256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(pdf))));
        Assert.That((await MailpitJsonAsync("api/v1/messages")).GetProperty("messages")[0].GetProperty("Read").GetBoolean(), Is.True);

        using var part = await Mailpit.GetAsync($"api/v1/message/{id}/part/2");
        Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(part.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
        Assert.That(await part.Content.ReadAsByteArrayAsync(), Is.EqualTo(pdf));
        Assert.That((await SendBodyAsync(HttpMethod.Get, $"api/v1/message/{id}/part/1.1", null)).Status, Is.EqualTo(HttpStatusCode.NotFound), "a body part is not served as a part");
        var logo = await Mailpit.GetByteArrayAsync($"api/v1/message/{id}/part/{inline.GetProperty("PartID").GetString()}");
        Assert.That(logo, Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [Test]
    public async Task Headers_are_gos_canonical_map_and_raw_is_the_exact_source()
    {
        var sent = Message("Headers");
        sent.MessageId = "abc@example.test";
        sent.Headers.Add("x-custom", "one");
        sent.Headers.Add("X-Custom", "two");
        await SendAsync(sent);
        var id = (await IdsAsync())[0];

        var headers = await MailpitJsonAsync($"api/v1/message/{id}/headers");
        Assert.That(headers.GetProperty("Message-Id")[0].GetString(), Is.EqualTo("<abc@example.test>"));
        Assert.That(headers.GetProperty("X-Custom").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(headers.GetProperty("Subject")[0].GetString(), Is.EqualTo("Headers"));
        var names = headers.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(names, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));

        var raw = await Mailpit.GetByteArrayAsync($"api/v1/message/{id}/raw");
        Assert.That(raw, Is.EqualTo(Server.Messages.Messages.Single().Raw.ToArray()));
        Assert.That((await MailpitJsonAsync($"api/v1/message/{id}")).GetProperty("MessageID").GetString(), Is.EqualTo("abc@example.test"));
    }

    [Test]
    public async Task Latest_finds_the_newest_or_the_newest_match_and_unknown_ids_are_404()
    {
        await SendAsync(Message("older", to: "a@example.test"), Message("newer", to: "b@example.test"));

        Assert.That((await MailpitJsonAsync("api/v1/message/latest")).GetProperty("Subject").GetString(), Is.EqualTo("newer"));
        Assert.That((await MailpitJsonAsync("api/v1/message/latest?query=to:a@example.test")).GetProperty("Subject").GetString(), Is.EqualTo("older"));
        Assert.That(await SendBodyAsync(HttpMethod.Get, "api/v1/message/nope", null), Is.EqualTo((HttpStatusCode.NotFound, "404 page not found")));
        Assert.That(await SendBodyAsync(HttpMethod.Get, "api/v1/message/latest?query=to:nobody", null), Is.EqualTo((HttpStatusCode.NotFound, "Message not found")));
    }

    [Test]
    public async Task Views_give_the_html_with_cid_links_to_parts_and_the_text()
    {
        await SendAsync(WithAttachments("Viewed"), Message("Plain only"));
        var ids = await IdsAsync();

        var (status, html) = await SendBodyAsync(HttpMethod.Get, $"view/{ids[1]}.html", null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Match($@"src=""/api/v1/message/{ids[1]}/part/[0-9.]+"""));
        var (textStatus, text) = await SendBodyAsync(HttpMethod.Get, $"view/{ids[1]}.txt", null);
        Assert.That((textStatus, text.TrimEnd()), Is.EqualTo((HttpStatusCode.OK, "Hello text")));
        Assert.That(await SendBodyAsync(HttpMethod.Get, $"view/{ids[0]}.html", null), Is.EqualTo((HttpStatusCode.NotFound, "This message does not contain a HTML part")));
        Assert.That(await SendBodyAsync(HttpMethod.Get, "view/nope.txt", null), Is.EqualTo((HttpStatusCode.NotFound, "Message not found")));
    }
}
