using System.Globalization;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Model;

/// <summary>
/// The message filters the list, the wait and a filtered delete share, bound from the query string
/// (<c>[AsParameters]</c>) and turned into one <see cref="MessageQuery"/> (the store evaluates it, in memory or in SQL):
/// to, from, subject (substrings, any case), since, and q, a substring of any of the three (the page's search box, as
/// Mailpit's searches them all); tag (a tag, exactly, any case); generatedFrom (the bounces, auto-replies and complaints
/// about that message id); how it came in: tls (over TLS or not), auth (after a login or not), user (that exact login
/// name, as the server compares it) and mechanism (the SASL mechanism of that login, any case).
/// </summary>
internal sealed record MessageFilter
{
    public string? To { get; init; }

    public string? From { get; init; }

    public string? Subject { get; init; }

    public string? Q { get; init; }

    public string? Tag { get; init; }

    public string? GeneratedFrom { get; init; }

    public string? Since { get; init; }

    public string? Tls { get; init; }

    public string? Auth { get; init; }

    public string? User { get; init; }

    public string? Mechanism { get; init; }

    /// <summary>The query these filters ask for, or why they cannot (a since that is no time, a tls that is no yes/no).</summary>
    public bool TryQuery(out MessageQuery query, out string? error)
    {
        query = MessageQuery.All;
        bool? tls = null, auth = null;
        if (!QueryValues.TryTime(Since, "since", out var since, out error)
            || !QueryValues.TryBool(Tls, "tls", out tls, out error)
            || !QueryValues.TryBool(Auth, "auth", out auth, out error))
        {
            return false;
        }

        var terms = new List<QueryTerm>();
        void Add(QueryField field, string? value)
        {
            if (QueryValues.Text(value) is { } given)
            {
                terms.Add(new QueryTerm(field, given));
            }
        }

        Add(QueryField.Recipient, To);
        Add(QueryField.Sender, From);
        Add(QueryField.Subject, Subject);
        Add(QueryField.Text, Q);
        Add(QueryField.Tag, Tag);
        Add(QueryField.GeneratedFrom, GeneratedFrom);
        Add(QueryField.Since, since?.ToString("O", CultureInfo.InvariantCulture));
        Add(QueryField.Tls, tls is null ? null : tls.Value ? "true" : "false");
        Add(QueryField.Authenticated, auth is null ? null : auth.Value ? "true" : "false");
        Add(QueryField.User, User);
        Add(QueryField.Mechanism, Mechanism);
        query = MessageQuery.All with { Terms = terms };
        return true;
    }
}
