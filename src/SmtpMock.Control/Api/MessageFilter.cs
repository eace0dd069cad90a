using Microsoft.AspNetCore.Http;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Api;

/// <summary>The message filters the list and the wait share: to, from, subject (substrings, any case) and since.</summary>
internal sealed record MessageFilter(string? To, string? From, string? Subject, DateTimeOffset? Since)
{
    public static bool TryRead(HttpContext context, out MessageFilter filter, out string? error)
    {
        var ok = Http.TryTime(context, "since", out var since, out error);
        filter = new MessageFilter(Http.Query(context, "to"), Http.Query(context, "from"), Http.Query(context, "subject"), since);
        return ok;
    }

    public bool Matches(CapturedMessage message) =>
        (To is null || message.Recipients.Any(r => Has(r.Address, To)))
        && (From is null || Has(message.Sender.Address, From))
        && (Since is null || message.ReceivedAt >= Since)
        && (Subject is null || Has(message.Message.Subject, Subject));

    private static bool Has(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
}
