using System.Net;
using System.Text.Json;
using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Tests;

public sealed class MessagesApiTests : ControlFixture
{
    [Test]
    public async Task Detail_has_envelope_headers_text_html_and_attachments_and_raw_is_the_exact_bytes()
    {
        var message = Message("Quarterly report", to: "carol@example.test");
        var body = new BodyBuilder { TextBody = "plain words", HtmlBody = "<p>html words</p>" };
        byte[] data = [0, 1, 2, 13, 10, 255, 254, 42];
        body.Attachments.Add("report.bin", data, new ContentType("application", "octet-stream"));
        message.Body = body.ToMessageBody();
        await SendAsync(message);

        var list = await GetJsonAsync("api/v1/messages");
        var item = list.GetProperty("items")[0];
        Assert.That(item.GetProperty("subject").GetString(), Is.EqualTo("Quarterly report"));
        Assert.That(item.GetProperty("to")[0].GetString(), Is.EqualTo("carol@example.test"));
        Assert.That(item.GetProperty("attachments").GetInt32(), Is.EqualTo(1));
        var id = item.GetProperty("id").GetString()!;

        var detail = await GetJsonAsync($"api/v1/messages/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("envelope").GetProperty("from").GetString(), Is.EqualTo("alice@example.test"));
            Assert.That(detail.GetProperty("envelope").GetProperty("recipients")[0].GetProperty("address").GetString(), Is.EqualTo("carol@example.test"));
            Assert.That(detail.GetProperty("headers").EnumerateArray().Any(h => h.GetProperty("name").GetString() == "Subject" && h.GetProperty("value").GetString() == "Quarterly report"));
            Assert.That(detail.GetProperty("text").GetString(), Does.Contain("plain words"));
            Assert.That(detail.GetProperty("html").GetString(), Does.Contain("<p>html words</p>"));
            Assert.That(detail.GetProperty("attachments")[0].GetProperty("fileName").GetString(), Is.EqualTo("report.bin"));
            Assert.That(detail.GetProperty("attachments")[0].GetProperty("size").GetInt64(), Is.EqualTo(8));
            Assert.That(detail.GetProperty("receivedAt").GetString(), Does.EndWith("+00:00"));
        });

        using var raw = await Http.GetAsync($"api/v1/messages/{id}/raw");
        Assert.That(raw.Content.Headers.ContentType!.MediaType, Is.EqualTo("message/rfc822"));
        Assert.That(await raw.Content.ReadAsByteArrayAsync(), Is.EqualTo(Server.Messages.Find(id)!.Raw.ToArray()));

        using var attachment = await Http.GetAsync($"api/v1/messages/{id}/attachments/0");
        Assert.That(await attachment.Content.ReadAsByteArrayAsync(), Is.EqualTo(data));
        using var missing = await Http.GetAsync($"api/v1/messages/{id}/attachments/1");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Tags_and_read_state_show_in_the_list_and_the_detail_and_follow_a_change_through_the_store()
    {
        var message = Message("Tagged", to: "bob+signup@example.test");
        message.Headers.Add("X-Tags", "onboarding");
        await SendAsync(message);

        var item = (await GetJsonAsync("api/v1/messages")).GetProperty("items")[0];
        var id = item.GetProperty("id").GetString()!;
        Assert.That(item.GetProperty("read").GetBoolean(), Is.False);
        Assert.That(item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.SupersetOf(new[] { "onboarding", "signup" }));

        await Server.Messages.SetReadAsync([id], true, CancellationToken.None);
        var detail = await GetJsonAsync($"api/v1/messages/{id}");
        Assert.That(detail.GetProperty("read").GetBoolean(), Is.True);
        Assert.That(detail.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Does.Contain("onboarding"));
    }

    [Test]
    public async Task Json_keeps_angle_brackets_quotes_and_non_ascii_readable_for_curl()
    {
        await SendAsync(Message("Grüße <3 'quoted'"));
        var session = (await GetJsonAsync("api/v1/sessions/wait?count=1"))[0].GetProperty("id").GetInt64();

        var list = await Http.GetStringAsync("api/v1/messages");
        var transcript = await Http.GetStringAsync($"api/v1/sessions/{session}");
        using var unknown = await Http.PutAsync("api/v1/scenario?name=nope", null);
        var problem = await unknown.Content.ReadAsStringAsync();

        Assert.That(list, Does.Contain("\"subject\":\"Grüße <3 'quoted'\""));
        Assert.That(transcript, Does.Contain("\"line\":\"MAIL FROM:<alice@example.test>"));
        Assert.That(problem, Does.Contain("no loaded scenario named 'nope': none were loaded (start serve with --scenario"));
        Assert.That(list + transcript + problem, Does.Not.Contain("\\u00").And.Not.Contain("\\u003C").And.Not.Contain("\\u0027"));
    }

    [Test]
    public async Task List_is_newest_first_filters_and_pages_with_a_cursor()
    {
        await SendAsync(Message("one"), Message("two", to: "dave@example.test"), Message("three"));

        var first = await GetJsonAsync("api/v1/messages?limit=2");
        Assert.That(Subjects(first), Is.EqualTo(new[] { "three", "two" }));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await GetJsonAsync($"api/v1/messages?limit=2&cursor={cursor}");
        Assert.That(Subjects(second), Is.EqualTo(new[] { "one" }));
        Assert.That(second.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));

        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?to=DAVE")), Is.EqualTo(new[] { "two" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?subject=o")), Is.EqualTo(new[] { "two", "one" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?since=2999-01-01T00:00:00Z")), Is.Empty);
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?q=dave")), Is.EqualTo(new[] { "two" }), "q matches a recipient");
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?q=THR")), Is.EqualTo(new[] { "three" }), "q matches a subject");
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?q=alice")), Has.Length.EqualTo(3), "q matches the sender");
    }

    [Test]
    public async Task Messages_without_a_header_block_are_listed_and_shown()
    {
        // SMTP accepts any content; MimeKit wants headers first. One such message made the whole list answer 500.
        await using (var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint))
        {
            await client.SendMessageAsync("alice@example.test", "bob@example.test", string.Empty);
            await client.SendMessageAsync("alice@example.test", "bob@example.test", "no header here\r\n");
        }

        var list = await GetJsonAsync("api/v1/messages");
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items, Has.Count.EqualTo(2));
        Assert.That(items.Select(i => i.GetProperty("subject").ValueKind), Has.All.EqualTo(JsonValueKind.Null));
        var detail = await GetJsonAsync($"api/v1/messages/{items[0].GetProperty("id").GetString()}");
        Assert.That(detail.GetProperty("text").GetString(), Does.Contain("no header here"));
    }

    [Test]
    public async Task Bad_queries_and_unknown_ids_get_problem_json()
    {
        using var badLimit = await Http.GetAsync("api/v1/messages?limit=0");
        Assert.That(badLimit.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(badLimit.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await ReadJsonAsync(badLimit)).GetProperty("detail").GetString(), Does.Contain("'limit'"));

        var badSince = await GetJsonAsync("api/v1/messages?since=yesterday", HttpStatusCode.BadRequest);
        Assert.That(badSince.GetProperty("detail").GetString(), Does.Contain("ISO 8601"));
        var unknown = await GetJsonAsync("api/v1/messages/nope", HttpStatusCode.NotFound);
        Assert.That(unknown.GetProperty("status").GetInt32(), Is.EqualTo(404));
        await GetJsonAsync("api/v1/nothing-here", HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Delete_one_then_all()
    {
        await SendAsync(Message("keep"), Message("drop"));
        var id = Server.Messages.Messages.Single(m => m.Message.Subject == "drop").Id;

        using (var deleted = await Http.DeleteAsync($"api/v1/messages/{id}"))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        Assert.That(Subjects(await GetJsonAsync("api/v1/messages")), Is.EqualTo(new[] { "keep" }));
        using (var again = await Http.DeleteAsync($"api/v1/messages/{id}"))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        using (await Http.DeleteAsync("api/v1/messages"))
        {
            Assert.That(Subjects(await GetJsonAsync("api/v1/messages")), Is.Empty);
        }
    }

    [Test]
    public async Task Wait_returns_as_soon_as_the_messages_arrive()
    {
        var waiting = Http.GetAsync("api/v1/messages/wait?count=2&to=erin&timeout=10s");
        await SendAsync(Message("not for erin"), Message("first", to: "erin@example.test"), Message("second", to: "erin@example.test"));

        using var response = await waiting.WaitAsync(Deadline);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Subjects(await ReadJsonAsync(response)), Is.EqualTo(new[] { "second", "first" }));
    }

    [Test]
    public async Task Wait_times_out_with_408_problem_json()
    {
        using var response = await Http.GetAsync("api/v1/messages/wait?count=1&timeout=200ms");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestTimeout));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await ReadJsonAsync(response)).GetProperty("detail").GetString(), Does.Contain("0 of 1"));
    }

    private static string[] Subjects(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("subject").GetString()!)];
}
