using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// Source-generated JSON for the Mailpit-compatible API (the CLI is Native AOT): names as declared (Mailpit's
/// PascalCase, and its few lower-case summary fields by attribute), request bodies read in any case as Go reads them.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MailpitMessagesSummary))]
[JsonSerializable(typeof(MailpitMessage))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(MailpitInfo))]
[JsonSerializable(typeof(MailpitWebUi))]
[JsonSerializable(typeof(MailpitChaos))]
[JsonSerializable(typeof(MailpitSendResult))]
[JsonSerializable(typeof(MailpitError))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(MailpitReadRequest))]
[JsonSerializable(typeof(MailpitIdsRequest))]
[JsonSerializable(typeof(MailpitTagsRequest))]
[JsonSerializable(typeof(MailpitRenameRequest))]
[JsonSerializable(typeof(MailpitReleaseRequest))]
[JsonSerializable(typeof(MailpitSendRequest))]
internal sealed partial class MailpitJson : JsonSerializerContext
{
    /// <summary>The context every Mailpit body is read and written with.</summary>
    public static MailpitJson Go { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        PropertyNameCaseInsensitive = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
