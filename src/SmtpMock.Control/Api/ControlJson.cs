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
[JsonSerializable(typeof(ClientGroup[]))]
internal sealed partial class ControlJson : JsonSerializerContext;
