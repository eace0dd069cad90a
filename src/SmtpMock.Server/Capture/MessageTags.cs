using System.Text.RegularExpressions;

namespace SmtpMock.Server.Capture;

/// <summary>
/// The tags a message gets when it is captured, as Mailpit gives them (so helpers written against Mailpit find them):
/// the <c>X-Tags</c> header split on commas; the labels of plus-addresses (<c>bob+signup@</c> gives <c>signup</c>) in the
/// From, To, Cc and Bcc headers and the envelope's recipients; and the user who logged in. Each cleaned as Mailpit
/// cleans them (letters, digits, <c>- _ . @</c> and spaces, at most 100), once in any case, the first spelling kept.
/// Parallel tests on one shared server each see their own mail by a tag.
/// </summary>
public static partial class MessageTags
{
    /// <summary>A tag this long at most.</summary>
    public const int MaxLength = 100;

    /// <summary>The tags of a message as captured.</summary>
    public static IReadOnlyList<string> Of(CapturedMessage message)
    {
        var summary = message.Summary;
        var found = new List<string>(summary.HeaderTags);
        var addresses = summary.To.Concat(summary.Cc).Concat(summary.Bcc).Select(a => a.Address)
            .Concat(summary.From is { } from ? [from.Address] : [])
            .Concat(message.Recipients.Select(r => r.Address));
        foreach (var address in addresses)
        {
            found.AddRange(PlusLabels(address));
        }

        if (message.AuthenticatedUser is { } user)
        {
            found.Add(user);
        }

        return Clean(found);
    }

    /// <summary>Tags cleaned and de-duplicated (any case, first spelling kept); ones with nothing left are dropped.</summary>
    public static IReadOnlyList<string> Clean(IEnumerable<string> tags)
    {
        var kept = new List<string>();
        foreach (var tag in tags)
        {
            var clean = Whitespace().Replace(Outside().Replace(tag, " "), " ").Trim();
            if (clean.Length > MaxLength)
            {
                clean = clean[..MaxLength].Trim();
            }

            if (clean.Length > 0 && !kept.Contains(clean, StringComparer.OrdinalIgnoreCase))
            {
                kept.Add(clean);
            }
        }

        return kept;
    }

    /// <summary>The labels between the first <c>+</c> and the <c>@</c>, split on <c>+</c>: <c>a+b+c@x</c> gives b and c.</summary>
    public static IEnumerable<string> PlusLabels(string address)
    {
        var at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? [] : local[(plus + 1)..].Split('+', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"[^a-zA-Z0-9\-_.@ ]")]
    private static partial Regex Outside();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
