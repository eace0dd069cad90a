using System.Text.Json.Serialization;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Webhooks;

/// <summary>A message was accepted with 250 and stored. <c>sender</c> is empty for the null reverse-path.</summary>
internal sealed record MessageCapturedEvent(
    DateTimeOffset At,
    string MessageId,
    DateTimeOffset ReceivedAt,
    long SessionId,
    string Sender,
    IReadOnlyList<string> Recipients,
    string? Subject,
    long Size,
    string? Tls,
    string? AuthenticatedUser) : WebhookEvent(At, TypeName)
{
    public const string TypeName = "message.captured";

    /// <summary>The event for a stored message; the Subject is read from its header block only (SubjectReader).</summary>
    public static MessageCapturedEvent From(CapturedMessage message, DateTimeOffset at) => new(
        at,
        message.Id,
        message.ReceivedAt,
        message.SessionId,
        message.Sender.Address,
        [.. message.Recipients.Select(r => r.Address)],
        SubjectOf(message),
        message.Size,
        message.Tls,
        message.AuthenticatedUser);

    private static string? SubjectOf(CapturedMessage message)
    {
        try
        {
            return SubjectReader.Read(message);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            return null;
        }
    }
}

/// <summary>
/// A command of a transaction was refused: <c>code</c> and <c>text</c> are the reply sent, <c>rule</c> the scenario rule
/// that wrote it (null when the server itself refused), <c>point</c> where (<c>MAIL</c>, <c>RCPT</c>, <c>MESSAGE</c>...).
/// </summary>
internal sealed record MessageRefusedEvent(
    DateTimeOffset At,
    long SessionId,
    string? Sender,
    IReadOnlyList<string> Recipients,
    int Code,
    string? EnhancedCode,
    string Text,
    string? Rule,
    string Point) : WebhookEvent(At, TypeName)
{
    public const string TypeName = "message.refused";
}

/// <summary>What SmtpMock made after accepting a message, as a real mail path would.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GeneratedKind>))]
internal enum GeneratedKind
{
    /// <summary>An RFC 3464 delivery status notification.</summary>
    [JsonStringEnumMemberName("bounce")]
    Bounce,

    /// <summary>An RFC 3834 auto-reply.</summary>
    [JsonStringEnumMemberName("autoreply")]
    AutoReply,

    /// <summary>An RFC 5965 abuse report.</summary>
    [JsonStringEnumMemberName("complaint")]
    Complaint,
}

/// <summary>A bounce, auto-reply or complaint was generated (and captured as <c>messageId</c>) for <c>originalMessageId</c>.</summary>
internal sealed record MessageGeneratedEvent(
    DateTimeOffset At,
    GeneratedKind Kind,
    string MessageId,
    string OriginalMessageId,
    string To) : WebhookEvent(At, TypeName)
{
    public const string TypeName = "message.generated";
}

/// <summary>A session closed: its counts, the replies scenario rules injected into it (<c>faults</c>), and why it ended.</summary>
internal sealed record SessionEndedEvent(
    DateTimeOffset At,
    long SessionId,
    string Client,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    int Commands,
    int Messages,
    int Faults,
    string Reason) : WebhookEvent(At, TypeName)
{
    public const string TypeName = "session.ended";
}
