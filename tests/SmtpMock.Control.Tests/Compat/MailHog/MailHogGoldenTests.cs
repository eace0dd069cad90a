using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SmtpMock.Control.Tests.Compat.MailHog;

/// <summary>
/// Golden bodies (Golden/README.md): the message each one holds is sent again, as MailHog received it (the same HELO,
/// envelope and data), and the MailHog port's answer is compared with MailHog's field by field. Every field MailHog
/// sends is there with the same JSON type; what depends only on the message (paths, content split, parts, sizes,
/// Raw) is equal; what MailHog makes up (ID, Created, its Received line, the Message-ID it adds) is checked for form.
/// </summary>
[TestFixture]
public sealed partial class MailHogGoldenTests : MailHogFixture
{
    private static readonly string[] Made = ["Received", "Message-ID"];

    [TestCase("v2-messages-multipart.json")]
    [TestCase("v2-item-qp.json")]
    public async Task The_same_message_gets_MailHogs_body_field_by_field(string file)
    {
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(Golden(file)))!;
        var item = golden["items"] is JsonArray items ? items[0]! : golden;
        var raw = item["Raw"]!;
        await SendRawAsync(raw["Helo"]!.GetValue<string>(), raw["From"]!.GetValue<string>(), [.. raw["To"]!.AsArray().Select(t => t!.GetValue<string>())], raw["Data"]!.GetValue<string>());

        var page = JsonNode.Parse((await MailHogJsonAsync("api/v2/messages")).GetRawText())!;
        if (golden["items"] is not null)
        {
            SameShape(golden, page, "$");
            Assert.That(page["total"]!.GetValue<long>(), Is.EqualTo(1));
        }

        var ours = page["items"]![0]!;
        SameShape(item, ours, "item");
        foreach (var field in new[] { "From", "To", "MIME", "Raw" })
        {
            Assert.That(JsonNode.DeepEquals(item[field], ours[field]), Is.True, $"{field}: MailHog {item[field]?.ToJsonString()}, ours {ours[field]?.ToJsonString()}");
        }

        foreach (var field in new[] { "Body", "Size", "MIME" })
        {
            Assert.That(JsonNode.DeepEquals(item["Content"]![field], ours["Content"]![field]), Is.True, $"Content.{field}");
        }

        var headers = item["Content"]!["Headers"]!.AsObject();
        var generatedId = headers["Message-ID"]![0]!.GetValue<string>() == item["ID"]!.GetValue<string>();
        foreach (var (name, values) in headers)
        {
            if (name == "Received" || (name == "Message-ID" && generatedId))
            {
                continue;
            }

            Assert.That(JsonNode.DeepEquals(values, ours["Content"]!["Headers"]![name]), Is.True, $"Content.Headers[{name}]: MailHog {values?.ToJsonString()}, ours {ours["Content"]!["Headers"]![name]?.ToJsonString()}");
        }

        var id = ours["ID"]!.GetValue<string>();
        Assert.That(ours["Content"]!["Headers"]!["Received"]![0]!.GetValue<string>(), Does.Match($@"^from {Regex.Escape(raw["Helo"]!.GetValue<string>())} by mock\.test \(SmtpMock\)\r\n          id {id}@mock\.test; \w{{3}}, \d\d \w{{3}} \d{{4}} \d\d:\d\d:\d\d \+0000$"));
        if (generatedId)
        {
            Assert.That(ours["Content"]!["Headers"]!["Message-ID"]![0]!.GetValue<string>(), Is.EqualTo($"{id}@mock.test"), "a message without one gets one, as MailHog adds its ID");
        }

        Assert.That(ours["Created"]!.GetValue<string>(), Does.Match(GoTime()), "Go's RFC 3339 with the fraction's trailing zeros dropped");
        Assert.That(Made, Has.All.Matches<string>(h => ours["Content"]!["Headers"]![h!] is not null));
    }

    [Test]
    public async Task Jims_defaults_are_MailHogs()
    {
        using var post = await MailHogHttp.PostAsync("api/v2/jim", null);
        Assert.That((int)post.StatusCode, Is.EqualTo(201), "POST without a body turns Jim on with its defaults");
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(Golden("jim-default.json")))!;
        var ours = JsonNode.Parse((await MailHogJsonAsync("api/v2/jim")).GetRawText())!;
        SameShape(golden, ours, "jim");
        Assert.That(JsonNode.DeepEquals(golden, ours), Is.True, ours.ToJsonString());
    }

    private static string Golden(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Compat", "MailHog", "Golden", file);

    /// <summary>Every field of <paramref name="golden"/> is in <paramref name="ours"/> with the same JSON type, arrays as long, recursively.</summary>
    private static void SameShape(JsonNode? golden, JsonNode? ours, string path)
    {
        var kind = Kind(golden);
        Assert.That(Kind(ours), Is.EqualTo(kind), $"{path}: MailHog sends {kind}");
        switch (golden)
        {
            case JsonObject goldenObject:
                foreach (var (name, value) in goldenObject)
                {
                    Assert.That(ours!.AsObject().ContainsKey(name), Is.True, $"{path}.{name} is missing");
                    SameShape(value, ours[name], $"{path}.{name}");
                }

                break;
            case JsonArray goldenArray:
                Assert.That(ours!.AsArray(), Has.Count.EqualTo(goldenArray.Count), $"{path}: length");
                for (var i = 0; i < goldenArray.Count; i++)
                {
                    SameShape(goldenArray[i], ours[i], $"{path}[{i}]");
                }

                break;
        }
    }

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null => "null",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString()!.ToLowerInvariant(),
    };

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$")]
    private static partial Regex GoTime();
}
