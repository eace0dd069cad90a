using System.Net;

namespace SmtpMock.Control.Tests.Compat.Mailpit;

/// <summary>/api/v1/tags: tags from X-Tags and plus-addresses, set, renamed and removed; also shown in our own API.</summary>
public sealed class MailpitTagsTests : MailpitFixture
{
    [Test]
    public async Task Tags_come_from_the_message_and_can_be_replaced_renamed_and_deleted()
    {
        await SendAsync(WithAttachments("Tagged"), Message("Other"));
        var ids = await IdsAsync();
        var tags = await MailpitJsonAsync("api/v1/tags");
        Assert.That(tags.EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "first", "second", "signup" }));

        Assert.That(await SendBodyAsync(HttpMethod.Put, "api/v1/tags", $$"""{"IDs":["{{ids[0]}}"],"Tags":["Mine","first"]}"""), Is.EqualTo((HttpStatusCode.OK, "ok")));
        Assert.That((await MailpitJsonAsync($"api/v1/message/{ids[0]}")).GetProperty("Tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "first", "Mine" }));
        Assert.That(Server.Messages.Messages.Single(m => m.Id == ids[0]).Tags, Is.EquivalentTo(new[] { "Mine", "first" }), "the store keeps them: our API and page show them");

        Assert.That(await SendBodyAsync(HttpMethod.Put, "api/v1/tags/mine", """{"Name":"Yours"}"""), Is.EqualTo((HttpStatusCode.OK, "ok")));
        Assert.That(await SendBodyAsync(HttpMethod.Delete, "api/v1/tags/first", null), Is.EqualTo((HttpStatusCode.OK, "ok")));
        Assert.That((await MailpitJsonAsync("api/v1/tags")).EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "second", "signup", "Yours" }));
        Assert.That(await SendBodyAsync(HttpMethod.Delete, "api/v1/tags/none", null), Is.EqualTo((HttpStatusCode.BadRequest, "tag not found: none")));
    }
}
