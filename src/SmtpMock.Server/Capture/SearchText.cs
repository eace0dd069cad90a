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
        var text = new StringBuilder();
        void Add(string? part) => text.Append(part).Append(' ');
        foreach (var address in (summary.From is { } from ? [from] : Array.Empty<HeaderAddress>()).Concat(summary.To).Concat(summary.Cc).Concat(summary.Bcc).Concat(summary.ReplyTo))
        {
            Add(address.Name);
            Add(address.Address);
        }

        Add(summary.Subject);
        Add(message.Sender.Address);
        message.Parse(mime =>
        {
            Add(mime.TextBody ?? (mime.HtmlBody is { } html ? Snippets.HtmlText(html) : null));
            foreach (var attachment in mime.Attachments)
            {
                Add(attachment is MimePart part ? part.FileName : attachment.ContentDisposition?.FileName);
            }

            return 0;
        });
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
