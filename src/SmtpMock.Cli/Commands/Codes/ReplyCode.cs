using System.Text.Json.Serialization;

namespace SmtpMock.Cli.Commands.Codes;

/// <summary>One SMTP reply code as <c>smtpmock codes</c> explains it; <c>--json</c> writes these fields.</summary>
/// <param name="Code">The three-digit reply code.</param>
/// <param name="Enhanced">The usual RFC 3463 enhanced codes, most common first (none for 3xx replies).</param>
/// <param name="Title">A few words, as in RFC 5321 §4.2.3.</param>
/// <param name="Meaning">What the server is saying.</param>
/// <param name="WhenSent">When real servers send it, with examples.</param>
/// <param name="Clients">How well-behaved clients react, and how common libraries report it.</param>
/// <param name="Action">What the client should do next: success, continue, retry or give-up.</param>
/// <param name="Scenario">A complete scenario file that makes SmtpMock send it.</param>
/// <remarks><see cref="ZeroConfig"/> is serialized too, as <c>zeroConfig</c>.</remarks>
internal sealed record ReplyCode(
    int Code,
    string[] Enhanced,
    string Title,
    string Meaning,
    string WhenSent,
    string Clients,
    string Action,
    string Scenario)
{
    /// <summary>
    /// Recipients that make SmtpMock send this code with no scenario (4xx and 5xx only): at RCPT, then after the
    /// message's final dot. Computed, so the reference entries need not repeat it.
    /// </summary>
    public string[] ZeroConfig => Code is >= 400 and <= 599 ? [$"{Code}@smtpmock.test", $"{Code}-data@smtpmock.test"] : [];
}

/// <summary>The source-generated serializer for <c>--json</c>: no reflection, so the native build keeps working.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReplyCode))]
[JsonSerializable(typeof(ReplyCode[]))]
internal sealed partial class ReplyCodeJson : JsonSerializerContext;
