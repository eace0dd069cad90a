using System.Text.Json.Serialization;

namespace SmtpMock.Control.Compat.Mailpit;

// Mailpit's response bodies (internal/storage/structs.go, server/apiv1 of v1.30.5): field names, order and JSON types
// exactly as Mailpit sends them. Times are strings in Go's RFC 3339 form (MailpitTime).

/// <summary>A name and an address, as Go's net/mail.Address marshals.</summary>
internal sealed record MailpitAddress(string Name, string Address);

/// <summary>GET /api/v1/messages and /api/v1/search.</summary>
internal sealed record MailpitMessagesSummary(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("unread")] long Unread,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("messages_count")] long MessagesCount,
    [property: JsonPropertyName("messages_unread")] long MessagesUnread,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("tags")] string[] Tags,
    [property: JsonPropertyName("messages")] MailpitSummary[] Messages);

/// <summary>
/// One message in a list. Empty To, Cc and Bcc are null and an empty ReplyTo is [], as Mailpit's list sends them
/// (its stored metadata omits empty lists; ReplyTo alone is forced to an array).
/// </summary>
internal sealed record MailpitSummary(
    string ID,
    string MessageID,
    bool Read,
    MailpitAddress From,
    MailpitAddress[]? To,
    MailpitAddress[]? Cc,
    MailpitAddress[]? Bcc,
    MailpitAddress[] ReplyTo,
    string Subject,
    string Created,
    string Username,
    string[] Tags,
    long Size,
    int Attachments,
    string Snippet);

/// <summary>GET /api/v1/message/{ID}.</summary>
internal sealed record MailpitMessage(
    string ID,
    string MessageID,
    MailpitAddress From,
    MailpitAddress[] To,
    MailpitAddress[] Cc,
    MailpitAddress[] Bcc,
    MailpitAddress[] ReplyTo,
    string ReturnPath,
    string Subject,
    MailpitListUnsubscribe ListUnsubscribe,
    string Date,
    string[] Tags,
    string Username,
    string Text,
    string HTML,
    long Size,
    MailpitAttachment[] Inline,
    MailpitAttachment[] Attachments);

internal sealed record MailpitListUnsubscribe(string Header, string[] Links, string Errors, string HeaderPost);

internal sealed record MailpitAttachment(string PartID, string FileName, string ContentType, string ContentID, long Size, MailpitChecksums Checksums);

internal sealed record MailpitChecksums(string MD5, string SHA1, string SHA256);

/// <summary>GET /api/v1/info.</summary>
internal sealed record MailpitInfo(
    string Version,
    string LatestVersion,
    string Database,
    long DatabaseSize,
    long Messages,
    long Unread,
    Dictionary<string, long> Tags,
    MailpitRuntimeStats RuntimeStats);

internal sealed record MailpitRuntimeStats(long Uptime, long Memory, long MessagesDeleted, long SMTPAccepted, long SMTPAcceptedSize, long SMTPRejected, long SMTPIgnored);

/// <summary>GET /api/v1/webui.</summary>
internal sealed record MailpitWebUi(string Label, MailpitRelay MessageRelay, bool SpamAssassin, bool ChaosEnabled, bool DuplicatesIgnored, bool HideDeleteAllButton);

internal sealed record MailpitRelay(
    bool Enabled,
    string SMTPServer,
    string ReturnPath,
    string AllowedRecipients,
    string BlockedRecipients,
    string OverrideFrom,
    bool PreserveMessageIDs,
    string RecipientAllowlist);

/// <summary>GET and PUT /api/v1/chaos: each trigger an error code and a probability in percent.</summary>
internal sealed record MailpitChaos(MailpitTrigger? Sender, MailpitTrigger? Recipient, MailpitTrigger? Authentication);

internal sealed record MailpitTrigger(int ErrorCode, int Probability);

/// <summary>POST /api/v1/send's answer, and its error body.</summary>
internal sealed record MailpitSendResult(string ID);

internal sealed record MailpitError(string Error);
