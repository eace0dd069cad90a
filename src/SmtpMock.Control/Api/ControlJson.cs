using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using SmtpMock.Control.Model;

namespace SmtpMock.Control.Api;

/// <summary>
/// Source-generated JSON (camelCase, no reflection) so the CLI stays Native AOT: first in the HTTP JSON options'
/// resolver chain (<see cref="Configure"/>), so typed results and problems are written with it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never, WriteIndented = false)]
[JsonSerializable(typeof(MessagePage))]
[JsonSerializable(typeof(MessageDetail))]
[JsonSerializable(typeof(SessionSummary[]))]
[JsonSerializable(typeof(SessionDetail))]
[JsonSerializable(typeof(ScenarioView))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(ProblemItem[]))]
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
    public static ControlJson Readable { get; } = new(Readably(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    /// <summary>
    /// The HTTP JSON options (<c>ConfigureHttpJsonOptions</c>) as <see cref="Readable"/> writes: readable text, every
    /// property written, and this context first in the resolver chain.
    /// </summary>
    public static void Configure(JsonSerializerOptions options) => Readably(options).TypeInfoResolverChain.Insert(0, Default);

    private static JsonSerializerOptions Readably(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}
