using System.Text;
using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>A captured message as Mailpit shows it: in a list (from the kept summary, no parse) and alone (parsed).</summary>
internal static class MailpitSummaries
{
    public static MailpitSummary Of(CapturedMessage message)
    {
        var summary = message.Summary;
        return new MailpitSummary(
            message.Id,
            summary.MessageId ?? string.Empty,
            message.Read,
            Address(summary.From),
            NullWhenEmpty(summary.To),
            NullWhenEmpty(summary.Cc),
            NullWhenEmpty(summary.Bcc),
            [.. summary.ReplyTo.Select(Address)],
            summary.Subject ?? string.Empty,
            MailpitTime.Created(message.ReceivedAt),
            message.AuthenticatedUser ?? string.Empty,
            [.. message.Tags],
            message.Size,
            summary.Attachments,
            summary.Snippet);
    }

    public static MailpitMessage Detail(CapturedMessage message)
    {
        var summary = message.Summary;
        var mime = message.Message;
        var parts = MailpitParts.Of(mime);
        var from = Address(summary.From);
        var returnPath = mime.Headers[HeaderId.ReturnPath]?.Trim().Trim('<', '>') is { Length: > 0 } path ? path
            : message.Sender.Address is { Length: > 0 } sender ? sender : from.Address;
        return new MailpitMessage(
            message.Id,
            summary.MessageId ?? string.Empty,
            from,
            [.. summary.To.Select(Address)],
            [.. summary.Cc.Select(Address)],
            [.. summary.Bcc.Select(Address)],
            [.. summary.ReplyTo.Select(Address)],
            returnPath,
            summary.Subject ?? string.Empty,
            Unsubscribe(mime),
            MailpitTime.Format(summary.Date ?? message.ReceivedAt),
            [.. message.Tags.Order(StringComparer.OrdinalIgnoreCase)],
            message.AuthenticatedUser ?? string.Empty,
            mime.TextBody ?? (mime.HtmlBody is { } html ? Snippets.HtmlText(html) : string.Empty),
            mime.HtmlBody ?? string.Empty,
            message.Size,
            MailpitParts.Inline(parts),
            MailpitParts.Attachments(parts));
    }

    /// <summary>The headers as Go's net/mail map: keys in canonical form (<c>Message-Id</c>), sorted; values raw, unfolded, in order.</summary>
    public static Dictionary<string, string[]> Headers(MimeMessage mime)
    {
        var map = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var header in mime.Headers)
        {
            var key = Canonical(header.Field);
            if (!map.TryGetValue(key, out var values))
            {
                map[key] = values = [];
            }

            values.Add(Unfold(header.RawValue));
        }

        return map.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Go's textproto.CanonicalMIMEHeaderKey: the first letter and each after a hyphen upper case, the rest lower.</summary>
    public static string Canonical(string field)
    {
        var key = new StringBuilder(field.Length);
        var upper = true;
        foreach (var c in field)
        {
            key.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            upper = c == '-';
        }

        return key.ToString();
    }

    private static string Unfold(byte[] raw) =>
        string.Join(' ', Encoding.UTF8.GetString(raw).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static MailpitAddress Address(HeaderAddress? address) => new(address?.Name ?? string.Empty, address?.Address ?? string.Empty);

    private static MailpitAddress[]? NullWhenEmpty(IReadOnlyList<HeaderAddress> addresses) => addresses.Count == 0 ? null : [.. addresses.Select(Address)];

    /// <summary>List-Unsubscribe as Mailpit reads it: the header, at most one mailto: and one http(s) link, List-Unsubscribe-Post.</summary>
    private static MailpitListUnsubscribe Unsubscribe(MimeMessage mime)
    {
        var header = mime.Headers[HeaderId.ListUnsubscribe] ?? string.Empty;
        var links = new List<string>();
        var errors = new List<string>();
        foreach (var item in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!item.StartsWith('<') || !item.EndsWith('>'))
            {
                errors.Add($"\"{item}\" is not enclosed in <>");
                continue;
            }

            var link = item[1..^1];
            var kind = link.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? "mailto" : link.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? "http" : null;
            if (kind is null)
            {
                errors.Add($"\"{link}\" is not a mailto: or http(s) link");
            }
            else if (!links.Any(l => l.StartsWith(kind, StringComparison.OrdinalIgnoreCase)))
            {
                links.Add(link);
            }
        }

        return new MailpitListUnsubscribe(header, [.. links], string.Join(", ", errors), mime.Headers["List-Unsubscribe-Post"] ?? string.Empty);
    }
}
