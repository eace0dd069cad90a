using MimeKit;

namespace SmtpMock.Server.Capture;

/// <summary>A name and an address from a header (<c>From</c>, <c>To</c>...), as a list view shows them.</summary>
public sealed record HeaderAddress(string Name, string Address);

/// <summary>
/// What a listing or a search needs of a message's content, taken in one parse and kept instead of the parsed tree (a
/// tree can be many times the message's size, and ten 30 MB messages listed once held 300 MB that the store's budget
/// never counted). A store that saves summaries (PostgreSQL) keeps exactly these fields.
/// </summary>
public sealed record ContentSummary
{
    public string? Subject { get; init; }

    /// <summary>The <c>Message-ID</c> header without its angle brackets, or null.</summary>
    public string? MessageId { get; init; }

    /// <summary>The first <c>From</c> mailbox, or null when there is none.</summary>
    public HeaderAddress? From { get; init; }

    public IReadOnlyList<HeaderAddress> To { get; init; } = [];

    public IReadOnlyList<HeaderAddress> Cc { get; init; } = [];

    public IReadOnlyList<HeaderAddress> Bcc { get; init; } = [];

    public IReadOnlyList<HeaderAddress> ReplyTo { get; init; } = [];

    /// <summary>The <c>Date</c> header, or null when missing or unreadable.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Parts that are attachments (MimeKit's <see cref="MimeMessage.Attachments"/>).</summary>
    public int Attachments { get; init; }

    public bool HasHtml { get; init; }

    public bool HasText { get; init; }

    /// <summary>The start of the text (or the HTML's text), whitespace collapsed: at most <see cref="Snippets.MaxOctets"/> octets and "...".</summary>
    public string Snippet { get; init; } = string.Empty;

    /// <summary>The <c>X-Tags</c> header's comma-separated names, trimmed, in order, each once.</summary>
    public IReadOnlyList<string> HeaderTags { get; init; } = [];

    /// <summary>Reads the content once; unreadable content gives what could be read (SMTP accepts any bytes).</summary>
    public static ContentSummary Read(CapturedMessage message) => message.Parse(Of);

    /// <summary>The summary of a parsed message.</summary>
    public static ContentSummary Of(MimeMessage mime)
    {
        ArgumentNullException.ThrowIfNull(mime);
        return Of(mime, mime.TextBody, mime.HtmlBody);
    }

    /// <summary>The same with the body's text and HTML already decoded (MimeKit decodes them anew on every read).</summary>
    internal static ContentSummary Of(MimeMessage mime, string? text, string? html) =>
        new()
        {
            Subject = mime.Subject,
            MessageId = mime.MessageId,
            From = mime.From.Mailboxes.Select(Address).FirstOrDefault(),
            To = [.. mime.To.Mailboxes.Select(Address)],
            Cc = [.. mime.Cc.Mailboxes.Select(Address)],
            Bcc = [.. mime.Bcc.Mailboxes.Select(Address)],
            ReplyTo = [.. mime.ReplyTo.Mailboxes.Select(Address)],
            Date = mime.Headers.Contains(HeaderId.Date) && mime.Date != DateTimeOffset.MinValue ? mime.Date : null,
            Attachments = mime.Attachments.Count(),
            HasHtml = html is not null,
            HasText = text is not null,
            Snippet = Snippets.Of(text, html),
            HeaderTags = Tags(mime.Headers["X-Tags"]),
        };

    private static HeaderAddress Address(MailboxAddress mailbox) => new(mailbox.Name ?? string.Empty, mailbox.Address);

    private static IReadOnlyList<string> Tags(string? header) =>
        header is null ? [] : [.. header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
}
