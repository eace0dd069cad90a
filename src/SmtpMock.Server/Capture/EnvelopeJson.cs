using System.Text.Json.Serialization;

namespace SmtpMock.Server.Capture;

/// <summary>The source-generated (trimming- and AOT-safe) JSON of <see cref="EnvelopeFile"/>, indented and camelCase.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EnvelopeFile))]
internal sealed partial class EnvelopeJson : JsonSerializerContext;
