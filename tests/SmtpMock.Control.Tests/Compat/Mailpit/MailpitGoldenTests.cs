using System.Text.Json;

namespace SmtpMock.Control.Tests.Compat.Mailpit;

/// <summary>
/// Every field Mailpit v1.30.5 sends is in our bodies with the same JSON type: the field lists of its OpenAPI document
/// (Golden/swagger.json, from the Mailpit source) and bodies a real Mailpit returned (Golden/observed-list.json and the
/// defaults derived from its source). A field that goes missing or changes type fails here.
/// </summary>
public sealed class MailpitGoldenTests : MailpitFixture
{
    private static JsonElement Definitions => Golden("swagger.json").GetProperty("definitions");

    [Test]
    public async Task The_list_and_a_summary_have_every_field_of_mailpits_definitions()
    {
        await SendAsync(WithAttachments("Golden"));
        var list = await MailpitJsonAsync("api/v1/messages");
        AssertFields(list, "MessagesSummary");
        AssertFields(list.GetProperty("messages")[0], "MessageSummary");
        AssertFields(list.GetProperty("messages")[0].GetProperty("From"), "Address");
    }

    [Test]
    public async Task The_list_matches_a_body_a_real_mailpit_sent_field_for_field()
    {
        await SendAsync(Message("probe", to: "ada@example.test", from: "odudu@example.test"));
        var ours = await MailpitJsonAsync("api/v1/messages");
        AssertSameShape(ours, Golden("observed-list.json"), "$");
    }

    [Test]
    public async Task The_message_and_its_attachments_have_every_field_of_mailpits_definitions()
    {
        await SendAsync(WithAttachments("Golden"));
        var id = (await IdsAsync())[0];
        var message = await MailpitJsonAsync($"api/v1/message/{id}");
        AssertFields(message, "Message");
        AssertFields(message.GetProperty("ListUnsubscribe"), "ListUnsubscribe");
        AssertFields(message.GetProperty("Attachments")[0], "Attachment");
        AssertFields(message.GetProperty("Inline")[0], "Attachment");
        Assert.That(message.GetProperty("Attachments")[0].GetProperty("Checksums").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "MD5", "SHA1", "SHA256" }));
    }

    [Test]
    public async Task Info_webui_and_chaos_match_mailpits_definitions_and_defaults()
    {
        AssertFields(await MailpitJsonAsync("api/v1/info"), "AppInformation");
        var webUi = await MailpitJsonAsync("api/v1/webui");
        AssertFields(webUi, "WebUIConfiguration");
        AssertSameShape(webUi, Golden("webui-default.json"), "$");
        var chaos = await MailpitJsonAsync("api/v1/chaos");
        AssertFields(chaos, "ChaosTriggers");
        Assert.That(chaos.ToString(), Is.EqualTo(Golden("chaos-default.json").ToString()).Using<string>((a, b) => JsonElement.DeepEquals(JsonDocument.Parse(a).RootElement, JsonDocument.Parse(b).RootElement) ? 0 : 1));
    }

    private static JsonElement Golden(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Compat", "Mailpit", "Golden", file))).RootElement.Clone();

    /// <summary>Each property of the definition is in <paramref name="body"/> with its type (null allowed where Mailpit sends null for an empty list).</summary>
    private static void AssertFields(JsonElement body, string definition)
    {
        foreach (var property in Definitions.GetProperty(definition).GetProperty("properties").EnumerateObject())
        {
            Assert.That(body.TryGetProperty(property.Name, out var value), Is.True, $"{definition}.{property.Name} is missing");
            var expected = property.Value.TryGetProperty("type", out var type) ? type.GetString() : "object";
            var actual = value.ValueKind switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "integer",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Array => "array",
                JsonValueKind.Object => "object",
                _ => expected == "array" ? "array" : "null",
            };
            Assert.That(actual, Is.EqualTo(expected), $"{definition}.{property.Name} is {value.ValueKind}");
        }
    }

    private static JsonValueKind Kind(JsonElement value) => value.ValueKind == JsonValueKind.False ? JsonValueKind.True : value.ValueKind;

    /// <summary>The same property names in the same order, and the same JSON kinds, all the way down (arrays by their first item).</summary>
    private static void AssertSameShape(JsonElement ours, JsonElement theirs, string path)
    {
        Assert.That(Kind(ours), Is.EqualTo(Kind(theirs)), $"{path}: {ours} against Mailpit's {theirs}");
        if (theirs.ValueKind == JsonValueKind.Object)
        {
            Assert.That(ours.EnumerateObject().Select(p => p.Name), Is.EqualTo(theirs.EnumerateObject().Select(p => p.Name)), $"{path}: the fields, in Mailpit's order");
            foreach (var property in theirs.EnumerateObject())
            {
                AssertSameShape(ours.GetProperty(property.Name), property.Value, $"{path}.{property.Name}");
            }
        }
        else if (theirs.ValueKind == JsonValueKind.Array && theirs.GetArrayLength() > 0)
        {
            Assert.That(ours.GetArrayLength(), Is.GreaterThan(0), $"{path} is empty");
            AssertSameShape(ours[0], theirs[0], $"{path}[0]");
        }
    }
}
