using System.Net;

namespace SmtpMock.Control.Tests.Compat.Mailpit;

/// <summary>GET/PUT/DELETE /api/v1/messages on the Mailpit port, over real HTTP.</summary>
public sealed class MailpitMessagesTests : MailpitFixture
{
    [Test]
    public async Task The_list_is_newest_first_with_mailpit_counts_and_paging()
    {
        await SendAsync(Message("one"), Message("two"), Message("three"));

        var all = await MailpitJsonAsync("api/v1/messages");
        Assert.That(all.GetProperty("total").GetInt32(), Is.EqualTo(3));
        Assert.That(all.GetProperty("unread").GetInt32(), Is.EqualTo(3));
        Assert.That(all.GetProperty("messages_count").GetInt32(), Is.EqualTo(3));
        Assert.That(all.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("Subject").GetString()), Is.EqualTo(new[] { "three", "two", "one" }));

        var page = await MailpitJsonAsync("api/v1/messages?start=1&limit=1");
        Assert.That(page.GetProperty("count").GetInt32(), Is.EqualTo(1));
        Assert.That(page.GetProperty("start").GetInt32(), Is.EqualTo(1));
        Assert.That(page.GetProperty("messages")[0].GetProperty("Subject").GetString(), Is.EqualTo("two"));
        Assert.That((await MailpitJsonAsync("api/v1/messages?limit=0")).GetProperty("count").GetInt32(), Is.EqualTo(3), "limit=0 lists all, as in Mailpit");
    }

    [Test]
    public async Task Put_sets_read_by_ids_by_search_and_for_all()
    {
        await SendAsync(Message("alpha"), Message("beta"));
        var ids = await IdsAsync();

        Assert.That(await SendBodyAsync(HttpMethod.Put, "api/v1/messages", $$"""{"IDs":["{{ids[0]}}"],"Read":true}"""), Is.EqualTo((HttpStatusCode.OK, "ok")));
        Assert.That((await MailpitJsonAsync("api/v1/messages")).GetProperty("unread").GetInt32(), Is.EqualTo(1));

        Assert.That((await SendBodyAsync(HttpMethod.Put, "api/v1/messages", """{"Search":"subject:alpha","Read":true}""")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await MailpitJsonAsync("api/v1/messages")).GetProperty("unread").GetInt32(), Is.EqualTo(0));

        Assert.That((await SendBodyAsync(HttpMethod.Put, "api/v1/messages", "{}")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await MailpitJsonAsync("api/v1/messages")).GetProperty("unread").GetInt32(), Is.EqualTo(2), "{} marks all unread, as Mailpit does");

        Assert.That(await SendBodyAsync(HttpMethod.Put, "api/v1/messages", $$"""{"IDs":["{{ids[0]}}"],"Search":"x"}"""), Is.EqualTo((HttpStatusCode.BadRequest, "You may specify either IDs or a search query, not both")));
        Assert.That(await SendBodyAsync(HttpMethod.Put, "api/v1/messages", null), Is.EqualTo((HttpStatusCode.BadRequest, "EOF")));
    }

    [Test]
    public async Task Delete_takes_ids_in_any_case_or_deletes_everything()
    {
        await SendAsync(Message("keep"), Message("drop"));
        var ids = await IdsAsync();

        Assert.That(await SendBodyAsync(HttpMethod.Delete, "api/v1/messages", $$"""{"ids":["{{ids[0]}}","unknown"]}"""), Is.EqualTo((HttpStatusCode.OK, "ok")));
        Assert.That(await IdsAsync(), Is.EqualTo(new[] { ids[1] }));

        Assert.That((await SendBodyAsync(HttpMethod.Delete, "api/v1/messages", null)).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await IdsAsync(), Is.Empty);
    }

    [Test]
    public async Task An_unknown_path_is_gos_plain_404_and_a_missing_feature_is_501_naming_it()
    {
        await SendAsync(Message("checked"));
        var id = (await IdsAsync())[0];

        Assert.That(await SendBodyAsync(HttpMethod.Get, "api/v1/nothing", null), Is.EqualTo((HttpStatusCode.NotFound, "404 page not found")));
        var (status, body) = await SendBodyAsync(HttpMethod.Get, $"api/v1/message/{id}/html-check", null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotImplemented));
        Assert.That(body, Does.Contain("HTML check"));
        Assert.That((await SendBodyAsync(HttpMethod.Get, $"api/v1/message/{id}/link-check", null)).Status, Is.EqualTo(HttpStatusCode.NotImplemented));
        Assert.That((await SendBodyAsync(HttpMethod.Get, $"api/v1/message/{id}/sa-check", null)).Status, Is.EqualTo(HttpStatusCode.NotImplemented));
    }

    [Test]
    public async Task Probes_info_webui_and_the_root_link_to_our_page()
    {
        await SendAsync(Message("counted", to: "bob+probe@example.test"));

        Assert.That(await SendBodyAsync(HttpMethod.Get, "readyz", null), Is.EqualTo((HttpStatusCode.OK, string.Empty)));
        Assert.That(await SendBodyAsync(HttpMethod.Get, "livez", null), Is.EqualTo((HttpStatusCode.OK, string.Empty)));
        var info = await MailpitJsonAsync("api/v1/info");
        Assert.That(info.GetProperty("Version").GetString(), Does.Match(@"^v1\.\d+"));
        Assert.That(info.GetProperty("Messages").GetInt32(), Is.EqualTo(1));
        Assert.That(info.GetProperty("Tags").GetProperty("probe").GetInt32(), Is.EqualTo(1));
        Assert.That(info.GetProperty("RuntimeStats").GetProperty("SMTPAccepted").GetInt32(), Is.EqualTo(1));
        Assert.That((await MailpitJsonAsync("api/v1/webui")).GetProperty("ChaosEnabled").GetBoolean(), Is.True);
        var (status, home) = await SendBodyAsync(HttpMethod.Get, "/", null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(home, Does.Contain(Control.BaseAddress.ToString()));
    }
}
