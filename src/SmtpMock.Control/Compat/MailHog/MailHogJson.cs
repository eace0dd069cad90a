using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// MailHog's bodies, source-generated (no reflection: the CLI is Native AOT). Names are MailHog's own (Go field names,
/// PascalCase, as its <c>data/message.go</c> has them); requests are read in any case, as Go's decoder does (the
/// <c>mailhog</c> npm client sends <c>host</c>, <c>port</c>...).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(MailHogPage))]
[JsonSerializable(typeof(MailHogMessage))]
[JsonSerializable(typeof(MailHogMessage[]))]
[JsonSerializable(typeof(Jim))]
[JsonSerializable(typeof(MailHogRelease))]
internal sealed partial class MailHogJson : JsonSerializerContext
{
    private static JsonSerializerOptions Settings(bool indented) => new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        PropertyNameCaseInsensitive = true,
        // As Go writes: non-ASCII as it is (only what HTML and SSE lines need is escaped).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
    };

    /// <summary>Compact, as MailHog's <c>json.Marshal</c> writes its responses.</summary>
    public static MailHogJson Compact { get; } = new(Settings(indented: false));

    /// <summary>Two-space indented, as MailHog's <c>json.MarshalIndent</c> writes each event of <c>/api/v1/events</c>.</summary>
    public static MailHogJson Indented { get; } = new(Settings(indented: true));
}

/// <summary>A page of <c>/api/v2/messages</c> or <c>/api/v2/search</c>: how many in all, on this page, where it starts.</summary>
internal sealed record MailHogPage(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("items")] IReadOnlyList<MailHogMessage> Items);

/// <summary>MailHog's <c>Message</c>: the envelope as paths, the content split as MailHog splits it, and the SMTP dialog's data.</summary>
internal sealed record MailHogMessage(string ID, MailHogPath From, IReadOnlyList<MailHogPath>? To, MailHogContent Content, string Created, MailHogMime? MIME, MailHogRaw Raw);

/// <summary>An envelope address: <c>Relays</c> (a source route, null without one), the parts around the first <c>@</c>, and <c>Params</c> (always empty).</summary>
internal sealed record MailHogPath(IReadOnlyList<string>? Relays, string Mailbox, string Domain, string Params);

/// <summary>Headers (the last value of each key, the key spelled as sent), the body still transfer-encoded, its size in octets, and the parts of a multipart part.</summary>
internal sealed record MailHogContent(SortedDictionary<string, List<string>> Headers, string Body, long Size, MailHogMime? MIME);

/// <summary>The pieces between a multipart body's boundaries, in order (null when the boundary cannot be read).</summary>
internal sealed record MailHogMime(IReadOnlyList<MailHogContent>? Parts);

/// <summary>What the SMTP dialog carried: MAIL FROM's address, the RCPT addresses, the data (no final CRLF) and the HELO name.</summary>
internal sealed record MailHogRaw(string From, IReadOnlyList<string>? To, string Data, string Helo);

/// <summary>
/// The release body: <c>{Host, Port, Email, Username, Password, Mechanism}</c> (MailHog's <c>OutgoingSMTP</c>; <c>Port</c>
/// a string there, a number accepted too), and <c>Name</c>/<c>Save</c> for MailHog's saved servers.
/// </summary>
internal sealed record MailHogRelease(string? Host, JsonElement? Port, string? Email, string? Username, string? Password, string? Mechanism, string? Name, bool? Save);
