using Microsoft.AspNetCore.Http;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Api;

/// <summary>
/// The message filters the list and the wait share: to, from, subject (substrings, any case), since, and q, a
/// substring of any of the three (the page's search box, as Mailpit's searches them all).
/// </summary>
internal sealed record MessageFilter(string? To, string? From, string? Subject, DateTimeOffset? Since, string? Any = null)
{
    public static bool TryRead(HttpContext context, out MessageFilter filter, out string? error)
    {
        var ok = Http.TryTime(context, "since", out var since, out error);
        filter = new MessageFilter(Http.Query(context, "to"), Http.Query(context, "from"), Http.Query(context, "subject"), since, Http.Query(context, "q"));
        return ok;
    }

    public bool Matches(CapturedMessage message) =>
        (To is null || message.Recipients.Any(r => Has(r.Address, To)))
        && (From is null || Has(message.Sender.Address, From))
        && (Since is null || message.ReceivedAt >= Since)
        && (Subject is null || Has(message.Message.Subject, Subject))
        && (Any is null || Has(message.Sender.Address, Any) || message.Recipients.Any(r => Has(r.Address, Any)) || Has(message.Message.Subject, Any));

    private static bool Has(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
}
