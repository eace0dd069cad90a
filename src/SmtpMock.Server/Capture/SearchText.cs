using System.Text;
using MimeKit;

namespace SmtpMock.Server.Capture;

/// <summary>
/// The text <see cref="QueryField.Content"/> searches, as Mailpit builds its search text: the address headers, the
/// subject, the envelope sender, the body's text and the attachments' file names, and how both it and a search word
/// are spaced (<c>&lt;&gt;",;()</c> and whitespace runs become one space) so a quoted phrase matches across line breaks.
/// A database store keeps <see cref="Of"/>'s result beside the message and compares the same way.
/// </summary>
public static class SearchText
{
    /// <summary>The searchable text of a message (parses its content).</summary>
    public static string Of(CapturedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var summary = message.Summary;
        return message.Parse(mime => Build(summary, message.Sender.Address, BodyOf(mime), mime.Attachments));
    }

    /// <summary>
    /// The summary, the body's text and the search text of a message from one parse of its content (three separate
    /// reads parsed it three times): what a database store saves beside each message. The message keeps the summary.
    /// </summary>
    public static SearchColumns Columns(CapturedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Parse(mime =>
        {
            var (text, html) = (mime.TextBody, mime.HtmlBody); // each decoded once, for the summary and the body
            var summary = ContentSummary.Of(mime, text, html);
            message.KnowSummary(summary);
            var body = BodyOf(text, html);
            return new SearchColumns(message.Summary, body ?? string.Empty, Build(message.Summary, message.Sender.Address, body, mime.Attachments));
        });
    }

    /// <summary>The text part, else the HTML part's text (what <see cref="CapturedMessage.BodyText"/> reads), or null.</summary>
    internal static string? BodyOf(MimeMessage mime) => BodyOf(mime.TextBody, mime.HtmlBody);

    private static string? BodyOf(string? text, string? html) => text ?? (html is not null ? Snippets.HtmlText(html) : null);

    private static string Build(ContentSummary summary, string sender, string? body, IEnumerable<MimeEntity> attachments)
    {
        var text = new StringBuilder();
        void Add(string? part) => text.Append(part).Append(' ');
        foreach (var address in (summary.From is { } from ? [from] : Array.Empty<HeaderAddress>()).Concat(summary.To).Concat(summary.Cc).Concat(summary.Bcc).Concat(summary.ReplyTo))
        {
            Add(address.Name);
            Add(address.Address);
        }

        Add(summary.Subject);
        Add(sender);
        Add(body);
        foreach (var attachment in attachments)
        {
            Add(attachment is MimePart part ? part.FileName : attachment.ContentDisposition?.FileName);
        }

        return text.ToString();
    }

    /// <summary>The text with <c>&lt;&gt;",;()</c>, U+FEFF and whitespace runs as one space, trimmed.</summary>
    public static string Spaced(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spaced = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c is '<' or '>' or '"' or ',' or ';' or '(' or ')' or '\uFEFF')
            {
                space = spaced.Length > 0;
                continue;
            }

            if (space)
            {
                spaced.Append(' ');
                space = false;
            }

            spaced.Append(c);
        }

        return spaced.ToString();
    }
}

/// <summary>What a database store saves beside a message for listing and searching, read in one parse.</summary>
public sealed record SearchColumns(ContentSummary Summary, string BodyText, string SearchText);
