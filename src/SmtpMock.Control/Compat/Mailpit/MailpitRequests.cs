namespace SmtpMock.Control.Compat.Mailpit;

// Mailpit's request bodies. Go decodes JSON names in any case (Testcontainers sends {"ids":[...]}), and so do these.

/// <summary>PUT /api/v1/messages: these messages (none: all, or those the search finds) read or unread.</summary>
internal sealed record MailpitReadRequest(string[]? IDs, bool Read, string? Search);

/// <summary>DELETE /api/v1/messages: these messages (none: all).</summary>
internal sealed record MailpitIdsRequest(string[]? IDs);

/// <summary>PUT /api/v1/tags: these messages get exactly these tags.</summary>
internal sealed record MailpitTagsRequest(string[]? IDs, string[]? Tags);

/// <summary>PUT /api/v1/tags/{tag}: its new name.</summary>
internal sealed record MailpitRenameRequest(string? Name);

/// <summary>POST /api/v1/message/{ID}/release.</summary>
internal sealed record MailpitReleaseRequest(string[]? To);

/// <summary>POST /api/v1/send (server/apiv1/swaggerParams.go sendMessageParams).</summary>
internal sealed record MailpitSendRequest(
    MailpitSendAddress? From,
    MailpitSendAddress[]? To,
    MailpitSendAddress[]? Cc,
    string[]? Bcc,
    MailpitSendAddress[]? ReplyTo,
    string? Subject,
    string? Text,
    string? HTML,
    MailpitSendAttachment[]? Attachments,
    string[]? Tags,
    Dictionary<string, string>? Headers);

internal sealed record MailpitSendAddress(string? Email, string? Name);

internal sealed record MailpitSendAttachment(string? Content, string? Filename, string? ContentType, string? ContentID);
