using System.Text;
using MimeKit;
using MimeKit.Text;

namespace SmtpMock.Server.Capture;

/// <summary>
/// The start of a message's text for a list view, as Mailpit makes its snippet: the HTML body's text when there is one
/// (MimeKit's tokenizer; script, style, head and title left out), else the text body; whitespace runs become one space;
/// at most <see cref="MaxOctets"/> UTF-8 octets, cut on a character, then "...".
/// </summary>
public static class Snippets
{
    public const int MaxOctets = 200;

    private static readonly HashSet<HtmlTagId> Skipped = [HtmlTagId.Script, HtmlTagId.Style, HtmlTagId.Head, HtmlTagId.Title, HtmlTagId.NoScript];

    public static string Of(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Of(message.TextBody, message.HtmlBody);
    }

    /// <summary>The same from the body's text and HTML, already decoded.</summary>
    internal static string Of(string? text, string? html) =>
        Cut(html is { Length: > 0 } ? HtmlText(html) : Collapse(text ?? string.Empty));

    /// <summary>The text of an HTML document: its text nodes, each block boundary a space.</summary>
    public static string HtmlText(string html)
    {
        var text = new StringBuilder();
        var skipping = 0;
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when Skipped.Contains(tag.Id) && !tag.IsEmptyElement:
                    skipping = Math.Max(0, skipping + (tag.IsEndTag ? -1 : 1));
                    break;
                case HtmlTagToken:
                    text.Append(' ');
                    break;
                case HtmlDataToken data when skipping == 0:
                    text.Append(data.Data);
                    break;
            }
        }

        return Collapse(text.ToString());
    }

    private static string Collapse(string text)
    {
        var collapsed = new StringBuilder(Math.Min(text.Length, 4 * MaxOctets));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\uFEFF')
            {
                space = collapsed.Length > 0;
                continue;
            }

            if (space)
            {
                collapsed.Append(' ');
                space = false;
            }

            collapsed.Append(c);
            if (collapsed.Length > 2 * MaxOctets)
            {
                break;
            }
        }

        return collapsed.ToString();
    }

    private static string Cut(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) <= MaxOctets)
        {
            return text;
        }

        var length = 0;
        var octets = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (octets + rune.Utf8SequenceLength > MaxOctets)
            {
                break;
            }

            octets += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return string.Concat(text.AsSpan(0, length), "...");
    }
}
