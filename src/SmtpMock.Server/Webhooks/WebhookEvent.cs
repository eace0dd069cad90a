using System.Text.Json.Serialization;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Webhooks;

/// <summary>
/// One webhook body. <c>type</c> (written first, from the derived type) says which; <c>id</c> is unique per event and
/// the same on every retry and every target, so a receiver can drop repeats; <c>at</c> is when it happened.
/// docs/webhooks.schema.json describes every body.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(MessageCapturedEvent), MessageCapturedEvent.TypeName)]
[JsonDerivedType(typeof(MessageRefusedEvent), MessageRefusedEvent.TypeName)]
[JsonDerivedType(typeof(MessageGeneratedEvent), MessageGeneratedEvent.TypeName)]
[JsonDerivedType(typeof(SessionEndedEvent), SessionEndedEvent.TypeName)]
internal abstract record WebhookEvent
{
    protected WebhookEvent(DateTimeOffset at, string eventType)
    {
        At = at;
        EventType = eventType;
        Id = "evt_" + MessageIds.Next(at);
    }

    [JsonPropertyOrder(-3)]
    public string Id { get; init; }

    [JsonPropertyOrder(-2)]
    public DateTimeOffset At { get; init; }

    /// <summary>The sending SmtpMock's <see cref="WebhookOptions.InstanceId"/>, stamped by the dispatcher.</summary>
    [JsonPropertyOrder(-1)]
    public string? Instance { get; init; }

    /// <summary>The <c>type</c> value, for the <c>X-SmtpMock-Event</c> header.</summary>
    [JsonIgnore]
    public string EventType { get; }
}
