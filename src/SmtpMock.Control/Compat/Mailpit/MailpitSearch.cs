using System.Globalization;
using System.Text.RegularExpressions;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// Mailpit's search syntax (internal/tools/argsparser.go, internal/storage/search.go) read into a
/// <see cref="MessageQuery"/>: words split on spaces outside double quotes, every term ANDed, <c>-</c> or <c>!</c>
/// negating; <c>from: to: cc: bcc: reply-to: addressed: subject: message-id: tag: is:read is:unread is:tagged
/// has:attachment before: after: larger: smaller:</c>, anything else a word or phrase searched in the content.
/// An unparseable date makes its term be ignored, as Mailpit does.
/// </summary>
internal static partial class MailpitSearch
{
    /// <summary>The query for <paramref name="search"/>, or null and the reason (a term SmtpMock cannot answer).</summary>
    public static MessageQuery? Parse(string search, TimeZoneInfo zone, out string? error)
    {
        error = null;
        var terms = new List<QueryTerm>();
        foreach (var token in Tokens(search))
        {
            var word = token;
            var negated = false;
            if (word.Length > 1 && word[0] is '-' or '!')
            {
                negated = true;
                word = word[1..];
            }

            var colon = word.IndexOf(':', StringComparison.Ordinal);
            var prefix = colon > 0 ? word[..(colon + 1)].ToLowerInvariant() : string.Empty;
            var value = colon > 0 ? word[(colon + 1)..] : word;
            var clean = Clean(value);
            QueryTerm? term = prefix switch
            {
                "from:" => Term(QueryField.From, clean),
                "to:" => Term(QueryField.To, clean),
                "cc:" => Term(QueryField.Cc, clean),
                "bcc:" => Term(QueryField.Bcc, clean),
                "reply-to:" => Term(QueryField.ReplyTo, clean),
                "addressed:" => Term(QueryField.Addressed, clean),
                // Mailpit searches the subject with the value as typed: not cleaned.
                "subject:" => value.Length == 0 ? null : new QueryTerm(QueryField.Subject, value),
                "message-id:" => Term(QueryField.MessageId, clean),
                "tag:" => Term(QueryField.Tag, clean),
                "is:" => clean.ToLowerInvariant() switch
                {
                    "read" => new QueryTerm(QueryField.Read, "true"),
                    "unread" => new QueryTerm(QueryField.Read, "false"),
                    "tagged" => new QueryTerm(QueryField.Tagged, "true"),
                    _ => Word(word),
                },
                "has:" => clean.ToLowerInvariant() switch
                {
                    "attachment" or "attachments" => new QueryTerm(QueryField.Attachment, "true"),
                    "inline" or "inlines" => Unsupported(word, out error),
                    _ => Word(word),
                },
                "after:" => Date(QueryField.Since, clean, zone),
                "before:" => Date(QueryField.Before, clean, zone),
                "larger:" => Size(QueryField.Larger, clean) ?? Word(word),
                "smaller:" => Size(QueryField.Smaller, clean) ?? Word(word),
                _ => Word(word),
            };

            if (error is not null)
            {
                return null;
            }

            if (term is not null)
            {
                terms.Add(term with { Negated = negated });
            }
        }

        return MessageQuery.All with { Terms = terms };
    }

    /// <summary>Words split on spaces outside double quotes; the quotes go, and empty words are dropped.</summary>
    public static IEnumerable<string> Tokens(string search)
    {
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in search)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    /// <summary>Mailpit's cleanString without lower-casing (the store compares in any case): punctuation and whitespace runs as one space.</summary>
    private static string Clean(string value) => Server.Capture.SearchText.Spaced(value);

    private static QueryTerm? Term(QueryField field, string value) => value.Length == 0 ? null : new QueryTerm(field, value);

    private static QueryTerm? Word(string word) => Clean(word) is { Length: > 0 } clean ? new QueryTerm(QueryField.Content, clean) : null;

    private static QueryTerm? Unsupported(string word, out string? error)
    {
        error = $"'{word}' is not supported by SmtpMock's Mailpit-compatible search";
        return null;
    }

    private static QueryTerm? Date(QueryField field, string value, TimeZoneInfo zone)
    {
        if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out var parsed))
        {
            return null;
        }

        var time = parsed.Kind switch
        {
            DateTimeKind.Utc => new DateTimeOffset(parsed, TimeSpan.Zero),
            DateTimeKind.Local => new DateTimeOffset(parsed.ToUniversalTime(), TimeSpan.Zero),
            _ => new DateTimeOffset(parsed, zone.GetUtcOffset(parsed)),
        };
        return new QueryTerm(field, time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
    }

    private static QueryTerm? Size(QueryField field, string value)
    {
        var match = SizePattern().Match(value.ToLowerInvariant());
        if (!match.Success)
        {
            return null;
        }

        var number = double.Parse(match.Groups[1].Value + match.Groups[2].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups[3].Value;
        var octets = unit.StartsWith('k') ? number * 1024 : unit.StartsWith('m') ? number * 1024 * 1024 : number;
        return new QueryTerm(field, ((long)octets).ToString(CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(\d+)(\.\d+)?\s?([a-z]{1,2})?$")]
    private static partial Regex SizePattern();
}
