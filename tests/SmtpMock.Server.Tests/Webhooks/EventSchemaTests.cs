using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NJsonSchema;
using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>docs/webhooks.schema.json and the bodies agree: every event type's JSON passes it, and a body that drifts fails it.</summary>
public class EventSchemaTests
{
    private static readonly string SchemaFile = Path.Combine(TestContext.CurrentContext.TestDirectory, "docs", "webhooks.schema.json");

    private static IEnumerable<TestCaseData> Events() =>
        Samples.All().Select((e, i) => new TestCaseData(i).SetArgDisplayNames($"{i}: {e.EventType}"));

    [TestCaseSource(nameof(Events))]
    public async Task Every_event_serializes_to_json_the_schema_accepts_with_type_id_and_at_first(int sample)
    {
        var evt = Samples.All().ElementAt(sample);
        var schema = await JsonSchema.FromFileAsync(SchemaFile);
        var json = Encoding.UTF8.GetString(WebhookJson.Body(evt));

        Assert.That(schema.Validate(json), Is.Empty, json);
        Assert.That(json, Does.StartWith($"{{\"type\":\"{evt.EventType}\",\"id\":\"{evt.Id}\",\"at\":\"2025-06-01T12:30:15.123+00:00\",\"instance\":null,"));
    }

    [Test]
    public void Every_event_type_has_a_sample_and_a_schema_branch()
    {
        var derived = typeof(WebhookEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);
        Assert.That(Samples.All().Select(e => e.GetType()).Distinct(), Is.EquivalentTo(derived.Keys));
        Assert.That(Samples.All().Select(e => e.EventType).Distinct(), Is.EquivalentTo(derived.Values));

        var schema = JsonNode.Parse(File.ReadAllText(SchemaFile))!;
        var branches = schema["oneOf"]!.AsArray().Select(b => b!["$ref"]!.GetValue<string>().Split('/')[^1]);
        var types = branches.Select(b => schema["definitions"]![b]!["properties"]!["type"]!["enum"]![0]!.GetValue<string>());
        Assert.That(types, Is.EquivalentTo(derived.Values));
    }

    [TestCase("remove", "sessionId")]
    [TestCase("remove", "instance")]
    [TestCase("add", "unexpected")]
    [TestCase("type", "message.stored")]
    [TestCase("id", "12345")]
    [TestCase("at", "yesterday")]
    [TestCase("messageId", "not-hex")]
    public async Task The_schema_refuses_a_body_that_drifts_from_the_code(string change, string name)
    {
        var schema = await JsonSchema.FromFileAsync(SchemaFile);
        var body = JsonNode.Parse(WebhookJson.Body(Samples.Captured()))!.AsObject();
        switch (change)
        {
            case "remove":
                body.Remove(name);
                break;
            case "add":
                body[name] = 1;
                break;
            default:
                body[change] = name;
                break;
        }

        Assert.That(schema.Validate(body.ToJsonString()), Is.Not.Empty);
    }

    [Test]
    public void A_body_reads_back_as_the_same_event_and_kinds_are_lowercase_words()
    {
        foreach (var evt in Samples.All())
        {
            var body = WebhookJson.Body(evt);
            var read = JsonSerializer.Deserialize(body, WebhookJson.Readable.WebhookEvent)!;
            Assert.That(read.GetType(), Is.EqualTo(evt.GetType()));
            Assert.That(WebhookJson.Body(read), Is.EqualTo(body));
        }

        var kinds = Samples.All().OfType<MessageGeneratedEvent>().Select(e => JsonNode.Parse(WebhookJson.Body(e))!["kind"]!.GetValue<string>());
        Assert.That(kinds, Is.EqualTo(new[] { "bounce", "autoreply", "complaint" }));
    }

    [Test]
    public void A_captured_message_becomes_its_event_with_the_subject_from_its_headers()
    {
        var raw = Encoding.UTF8.GetBytes("From: a@example.com\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\nHello\r\n");
        var message = new SmtpMock.Server.Capture.CapturedMessage("0197a6b2c3d40123456789abcdef0130", 12, Samples.At, "127.0.0.1:40000", "client.test",
            new Protocol.Grammar.MailPath("alice", "example.com", null), [], [new SmtpMock.Server.Capture.Recipient(new Protocol.Grammar.MailPath("bob", "example.com", null), [])], raw)
        {
            Tls = "TLSv1.3 TLS_AES_256_GCM_SHA384",
            AuthenticatedUser = "app",
        };

        var evt = MessageCapturedEvent.From(message, Samples.At.AddSeconds(1));

        Assert.That(evt, Is.EqualTo(new MessageCapturedEvent(Samples.At.AddSeconds(1), message.Id, Samples.At, 12, "alice@example.com", evt.Recipients, "Grüße", raw.Length, message.Tls, "app") { Id = evt.Id }));
        Assert.That(evt.Recipients, Is.EqualTo(new[] { "bob@example.com" }));
        var bounce = new SmtpMock.Server.Capture.CapturedMessage("0197a6b2c3d40123456789abcdef0131", 12, Samples.At, "c", "h", Protocol.Grammar.MailPath.Null, [], [], "no headers at all"u8.ToArray());
        Assert.That((MessageCapturedEvent.From(bounce, Samples.At).Sender, MessageCapturedEvent.From(bounce, Samples.At).Subject), Is.EqualTo((string.Empty, (string?)null)));
    }

    [Test]
    public void Subjects_keep_their_characters_and_event_ids_are_unique()
    {
        var json = Encoding.UTF8.GetString(WebhookJson.Body(Samples.Captured("Grüße <b>&</b>")));
        Assert.That(json, Does.Contain("\"subject\":\"Grüße <b>&</b>\""));
        var ids = Enumerable.Range(0, 1000).Select(_ => Samples.Captured().Id).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Has.All.Match("^evt_[0-9a-f]{32}$"));
    }
}
