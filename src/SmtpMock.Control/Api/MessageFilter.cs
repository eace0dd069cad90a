using Microsoft.AspNetCore.Http;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Api;

/// <summary>
/// The message filters the list and the wait share: to, from, subject (substrings, any case), since, and q, a
/// substring of any of the three (the page's search box, as Mailpit's searches them all); and how it came in:
/// tls (over TLS or not), auth (after a login or not), user (that exact login name, as the server compares it) and
/// mechanism (the SASL mechanism of that login, any case).
/// </summary>
internal sealed record MessageFilter(string? To, string? From, string? Subject, DateTimeOffset? Since, string? Any = null)
{
    public bool? Tls { get; init; }

    public bool? Auth { get; init; }

    public string? User { get; init; }

    public string? Mechanism { get; init; }

    public static bool TryRead(HttpContext context, out MessageFilter filter, out string? error)
    {
        bool? tls = null, auth = null;
        var ok = Http.TryTime(context, "since", out var since, out error)
            && Http.TryBool(context, "tls", out tls, out error)
            && Http.TryBool(context, "auth", out auth, out error);
        filter = new MessageFilter(Http.Query(context, "to"), Http.Query(context, "from"), Http.Query(context, "subject"), since, Http.Query(context, "q"))
        {
            Tls = tls,
            Auth = auth,
            User = Http.Query(context, "user"),
            Mechanism = Http.Query(context, "mechanism"),
        };
        return ok;
    }

    public bool Matches(CapturedMessage message) =>
        (To is null || message.Recipients.Any(r => Has(r.Address, To)))
        && (From is null || Has(message.Sender.Address, From))
        && (Since is null || message.ReceivedAt >= Since)
        && (Tls is null || message.IsSecure == Tls)
        && (Auth is null || (message.AuthenticatedUser is not null) == Auth)
        && (User is null || string.Equals(message.AuthenticatedUser, User, StringComparison.Ordinal))
        && (Mechanism is null || string.Equals(message.AuthMechanism, Mechanism, StringComparison.OrdinalIgnoreCase))
        && (Subject is null || Has(message.Summary.Subject, Subject))
        && (Any is null || Has(message.Sender.Address, Any) || message.Recipients.Any(r => Has(r.Address, Any)) || Has(message.Summary.Subject, Any));

    private static bool Has(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
}
