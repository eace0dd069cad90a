using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmtpMock.Server.Webhooks;

/// <summary>Source-generated JSON for the bodies (camelCase, no reflection: the CLI is Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(WebhookEvent))]
internal sealed partial class WebhookJson : JsonSerializerContext
{
    /// <summary>
    /// Subjects and addresses written as they are (no <c>\u003C</c> for '&lt;', no escapes for non-ASCII): a body is
    /// data for a program, never embedded in HTML. Control characters are still escaped.
    /// </summary>
    public static WebhookJson Readable { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The exact bytes POSTed (and signed).</summary>
    public static byte[] Body(WebhookEvent evt) => JsonSerializer.SerializeToUtf8Bytes(evt, Readable.WebhookEvent);
}
