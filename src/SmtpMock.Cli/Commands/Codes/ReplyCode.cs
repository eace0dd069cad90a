using System.Text.Json.Serialization;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Cli.Commands.Codes;

/// <summary>
/// One SMTP reply code as <c>smtpmock codes</c> explains it; <c>--json</c> writes these fields. The code's enhanced codes,
/// text and meaning are the server's own table's (<see cref="ReplyCatalog"/>); this adds what a client author needs.
/// </summary>
/// <param name="Code">The three-digit reply code.</param>
/// <param name="WhenSent">When real servers send it, with examples.</param>
/// <param name="Clients">How well-behaved clients react, and how common libraries report it.</param>
/// <param name="Action">What the client should do next: success, continue, retry or give-up.</param>
/// <param name="Scenario">A complete scenario file that makes SmtpMock send it.</param>
/// <remarks><see cref="Enhanced"/>, <see cref="Title"/>, <see cref="Meaning"/> and <see cref="ZeroConfig"/> are serialized too.</remarks>
internal sealed record ReplyCode(
    int Code,
    string WhenSent,
    string Clients,
    string Action,
    string Scenario)
{
    private ReplyCodeInfo Row => ReplyCatalog.Find(Code) ?? throw new InvalidOperationException($"{Code} is not in the reply table (ReplyCatalog)");

    /// <summary>The usual RFC 3463 enhanced codes, the server's standard one first (none for 3xx replies).</summary>
    public IReadOnlyList<string> Enhanced => Row.Enhanced;

    /// <summary>The text the server sends with the bare code.</summary>
    public string Title => Row.Text;

    /// <summary>What the server is saying.</summary>
    public string Meaning => Row.Meaning;

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
