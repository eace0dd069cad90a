namespace SmtpMock.Server.Capture;

/// <summary>What a query term looks at.</summary>
public enum QueryField
{
    /// <summary>The envelope sender, an envelope recipient or the subject (a search box's plain word).</summary>
    Text,

    /// <summary>MAIL FROM's address.</summary>
    Sender,

    /// <summary>Any RCPT TO address.</summary>
    Recipient,

    /// <summary>The From header (name or address).</summary>
    From,

    /// <summary>The To header.</summary>
    To,

    Cc,
    Bcc,
    ReplyTo,
    Subject,

    /// <summary>The Message-ID header.</summary>
    MessageId,

    /// <summary>A tag, exactly (any case).</summary>
    Tag,

    /// <summary><c>true</c> or <c>false</c>: read.</summary>
    Read,

    /// <summary><c>true</c> or <c>false</c>: has attachments.</summary>
    Attachment,

    /// <summary>Received at or after this time (ISO 8601).</summary>
    Since,

    /// <summary>Received before this time (ISO 8601).</summary>
    Before,

    /// <summary>The text of the message's body (its text part, or its HTML's text).</summary>
    Body,

    /// <summary>Who logged in with AUTH, exactly.</summary>
    User,

    /// <summary><c>true</c> or <c>false</c>: came over TLS.</summary>
    Tls,

    /// <summary>The AUTH mechanism, any case.</summary>
    Mechanism,

    /// <summary><c>true</c> or <c>false</c>: someone logged in with AUTH.</summary>
    Authenticated,

    /// <summary>The message's id, exactly.</summary>
    Id,

    /// <summary>
    /// What a Mailpit search word looks in: the From, To, Cc, Bcc and Reply-To headers (names and addresses), the
    /// subject, the envelope sender, the body's text and the attachments' file names; whitespace runs and
    /// <c>&lt;&gt;",;()</c> count as one space on both sides, any case.
    /// </summary>
    Content,

    /// <summary>Any address of the From, To, Cc, Bcc or Reply-To headers (name or address), as Mailpit's <c>addressed:</c>.</summary>
    Addressed,

    /// <summary><c>true</c> or <c>false</c>: has at least one tag.</summary>
    Tagged,

    /// <summary>Larger than this many octets.</summary>
    Larger,

    /// <summary>Smaller than this many octets.</summary>
    Smaller,

    /// <summary>
    /// The content as it came, headers and body still transfer-encoded (a substring in any case): what MailHog's
    /// <c>kind=containing</c> search reads.
    /// </summary>
    Raw,
}

/// <summary>One condition: a field, a value (a substring in any case for text fields), maybe negated.</summary>
public sealed record QueryTerm(QueryField Field, string Value, bool Negated = false);

/// <summary>
/// Which messages, and which page of them: every term must hold. Pages go newest first and continue after a cursor
/// (the last message of the previous page: keyset paging, so a page does not shift when messages arrive) or skip a
/// count (what Mailpit's <c>start</c> does).
/// </summary>
public sealed record MessageQuery
{
    /// <summary>Every message, in one page.</summary>
    public static MessageQuery All { get; } = new();

    public IReadOnlyList<QueryTerm> Terms { get; init; } = [];

    /// <summary>The id of the last message of the previous page, or null for the first page.</summary>
    public string? After { get; init; }

    /// <summary>Messages to skip before the page (after <see cref="After"/>).</summary>
    public int Skip { get; init; }

    /// <summary>The page size, or null for every message that matches.</summary>
    public int? Limit { get; init; }

    /// <summary>Oldest first instead of newest first.</summary>
    public bool OldestFirst { get; init; }

    /// <summary>This query with one more term.</summary>
    public MessageQuery With(QueryField field, string value, bool negated = false) => this with { Terms = [.. Terms, new QueryTerm(field, value, negated)] };
}
