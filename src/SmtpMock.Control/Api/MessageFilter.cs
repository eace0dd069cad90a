using System.Globalization;
using Microsoft.AspNetCore.Http;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Api;

/// <summary>
/// The message filters the list, the wait and a filtered delete share, read from the query string into one
/// <see cref="MessageQuery"/> (the store evaluates it, in memory or in SQL): to, from, subject (substrings, any case),
/// since, and q, a substring of any of the three (the page's search box, as Mailpit's searches them all); tag (a tag,
/// exactly, any case); generatedFrom (the bounces, auto-replies and complaints about that message id); how it came in: tls (over TLS or not), auth (after a login or not), user (that exact login name,
/// as the server compares it) and mechanism (the SASL mechanism of that login, any case).
/// </summary>
internal static class MessageFilter
{
    public static bool TryRead(HttpContext context, out MessageQuery query, out string? error)
    {
        query = MessageQuery.All;
        bool? tls = null, auth = null;
        if (!Http.TryTime(context, "since", out var since, out error)
            || !Http.TryBool(context, "tls", out tls, out error)
            || !Http.TryBool(context, "auth", out auth, out error))
        {
            return false;
        }

        var terms = new List<QueryTerm>();
        void Add(QueryField field, string? value)
        {
            if (value is not null)
            {
                terms.Add(new QueryTerm(field, value));
            }
        }

        Add(QueryField.Recipient, Http.Query(context, "to"));
        Add(QueryField.Sender, Http.Query(context, "from"));
        Add(QueryField.Subject, Http.Query(context, "subject"));
        Add(QueryField.Text, Http.Query(context, "q"));
        Add(QueryField.Tag, Http.Query(context, "tag"));
        Add(QueryField.GeneratedFrom, Http.Query(context, "generatedFrom"));
        Add(QueryField.Since, since?.ToString("O", CultureInfo.InvariantCulture));
        Add(QueryField.Tls, tls is null ? null : tls.Value ? "true" : "false");
        Add(QueryField.Authenticated, auth is null ? null : auth.Value ? "true" : "false");
        Add(QueryField.User, Http.Query(context, "user"));
        Add(QueryField.Mechanism, Http.Query(context, "mechanism"));
        query = MessageQuery.All with { Terms = terms };
        return true;
    }
}
