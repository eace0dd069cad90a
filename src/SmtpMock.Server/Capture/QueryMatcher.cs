using System.Globalization;

namespace SmtpMock.Server.Capture;

/// <summary>
/// A query evaluated over messages in memory (the memory and folder stores): each term against the envelope, the kept
/// summary, or, only for a body term, the parsed content. A database store turns the same terms into SQL instead.
/// </summary>
public static class QueryMatcher
{
    /// <summary>True when every term of <paramref name="query"/> holds for <paramref name="message"/>.</summary>
    public static bool Matches(MessageQuery query, CapturedMessage message)
    {
        foreach (var term in query.Terms)
        {
            if (Holds(term, message) == term.Negated)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The page of <paramref name="newestFirst"/> (already in order, filtered) the query asks for.</summary>
    public static MessageResults Page(MessageQuery query, IReadOnlyList<CapturedMessage> newestFirst)
    {
        IEnumerable<CapturedMessage> ordered = query.OldestFirst ? newestFirst.Reverse() : newestFirst;
        var matching = ordered.Where(m => Matches(query, m)).ToList();
        var start = 0;
        if (query.After is { } after)
        {
            start = matching.FindIndex(m => m.Id == after) + 1;
            if (start == 0)
            {
                throw new ArgumentException($"the cursor {after} is not a listed message any more (deleted or evicted): list again from the start", nameof(query));
            }
        }

        start += Math.Max(0, query.Skip);
        var page = matching.Skip(start).Take(query.Limit ?? int.MaxValue).ToList();
        var next = query.Limit is not null && start + page.Count < matching.Count && page.Count > 0 ? page[^1].Id : null;
        return new MessageResults(page, matching.Count, next);
    }

    private static bool Holds(QueryTerm term, CapturedMessage m) => term.Field switch
    {
        QueryField.Text => Has(m.Sender.Address, term.Value) || m.Recipients.Any(r => Has(r.Address, term.Value)) || Has(m.Summary.Subject, term.Value),
        QueryField.Sender => Has(m.Sender.Address, term.Value),
        QueryField.Recipient => m.Recipients.Any(r => Has(r.Address, term.Value)),
        QueryField.From => m.Summary.From is { } from && (Has(from.Address, term.Value) || Has(from.Name, term.Value)),
        QueryField.To => Any(m.Summary.To, term.Value),
        QueryField.Cc => Any(m.Summary.Cc, term.Value),
        QueryField.Bcc => Any(m.Summary.Bcc, term.Value),
        QueryField.ReplyTo => Any(m.Summary.ReplyTo, term.Value),
        QueryField.Subject => Has(m.Summary.Subject, term.Value),
        QueryField.MessageId => Has(m.Summary.MessageId, term.Value.Trim('<', '>')),
        QueryField.Tag => m.Tags.Contains(term.Value, StringComparer.OrdinalIgnoreCase),
        QueryField.Read => m.Read == IsTrue(term.Value),
        QueryField.Attachment => (m.Summary.Attachments > 0) == IsTrue(term.Value),
        QueryField.Since => m.ReceivedAt >= Time(term.Value),
        QueryField.Before => m.ReceivedAt < Time(term.Value),
        QueryField.Body => Has(m.BodyText, term.Value),
        QueryField.User => string.Equals(m.AuthenticatedUser, term.Value, StringComparison.Ordinal),
        QueryField.Tls => m.IsSecure == IsTrue(term.Value),
        QueryField.Mechanism => string.Equals(m.AuthMechanism, term.Value, StringComparison.OrdinalIgnoreCase),
        QueryField.Authenticated => (m.AuthenticatedUser is not null) == IsTrue(term.Value),
        QueryField.Id => m.Id == term.Value,
        QueryField.Content => SearchText.Spaced(SearchText.Of(m)).Contains(SearchText.Spaced(term.Value), StringComparison.OrdinalIgnoreCase),
        QueryField.Addressed => (m.Summary.From is { } sender && (Has(sender.Address, term.Value) || Has(sender.Name, term.Value)))
            || Any(m.Summary.To, term.Value) || Any(m.Summary.Cc, term.Value) || Any(m.Summary.Bcc, term.Value) || Any(m.Summary.ReplyTo, term.Value),
        QueryField.Tagged => (m.Tags.Count > 0) == IsTrue(term.Value),
        QueryField.Larger => m.Size > long.Parse(term.Value, CultureInfo.InvariantCulture),
        QueryField.Smaller => m.Size < long.Parse(term.Value, CultureInfo.InvariantCulture),
        QueryField.Raw => Has(System.Text.Encoding.UTF8.GetString(m.Raw.Span), term.Value),
        QueryField.GeneratedFrom => m.Origin?.OriginalId == term.Value,
        _ => false,
    };

    private static bool Any(IReadOnlyList<HeaderAddress> addresses, string part) => addresses.Any(a => Has(a.Address, part) || Has(a.Name, part));

    private static bool Has(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsTrue(string value) => value.Equals("true", StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
