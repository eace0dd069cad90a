using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmtpMock.Control.Api;

/// <summary>Source-generated JSON (camelCase, no reflection) so the CLI stays Native AOT.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never, WriteIndented = false)]
[JsonSerializable(typeof(MessagePage))]
[JsonSerializable(typeof(MessageDetail))]
[JsonSerializable(typeof(SessionSummary[]))]
[JsonSerializable(typeof(SessionDetail))]
[JsonSerializable(typeof(ScenarioView))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(ServerEvent))]
[JsonSerializable(typeof(MessageSummary[]))]
[JsonSerializable(typeof(SendRequest))]
[JsonSerializable(typeof(SendResult))]
[JsonSerializable(typeof(ReleaseRequest))]
[JsonSerializable(typeof(ReleaseResult))]
[JsonSerializable(typeof(ClientGroup[]))]
internal sealed partial class ControlJson : JsonSerializerContext
{
    /// <summary>
    /// The context every response and event is written with. The default encoder escapes '&lt;', '&gt;', '&amp;',
    /// quotes and all non-ASCII for HTML embedding, so a transcript read with curl showed
    /// <c>MAIL FROM:\u003Calice@example.com\u003E</c> and a subject <c>Gr\u00FC\u00DFe</c>. These are JSON
    /// responses (nosniff) that the page reads as data and only ever puts in text nodes, so they are written as
    /// they are; control characters are still escaped, which keeps each event on its one SSE data line.
    /// </summary>
    public static ControlJson Readable { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
