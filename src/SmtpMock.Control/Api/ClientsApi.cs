using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.History;

namespace SmtpMock.Control.Api;

internal sealed record Attempt(long SessionId, DateTimeOffset At, string Reply, string? Rule, double? GapSeconds);

internal sealed record ClientGroup(string Key, string Client, string Sender, string Recipient, Attempt[] Attempts);

/// <summary>
/// GET /api/v1/clients: the kept sessions' delivery attempts grouped by client key (client IP + MAIL FROM + RCPT TO,
/// the key a greylisting rule counts), from every instance sharing the archive, each with its time, the reply it got and the gap since the previous attempt,
/// so a test can assert how a client retried. Attempts before the last scenario reset are left out.
/// </summary>
internal sealed class ClientsApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api) => api.MapGet("/clients", new RequestDelegate(ListAsync));

    private async Task ListAsync(HttpContext context)
    {
        var sender = Http.Query(context, "sender");
        var recipient = Http.Query(context, "recipient");
        var finished = await state.Server.Sessions.ListAsync(SessionQuery.All, context.RequestAborted).ConfigureAwait(false);
        var open = state.Server.OpenSessions.Select(s => SessionRecords.From(s, state.Server.Options.InstanceId));
        var attempts = open.Concat(finished).DistinctBy(s => s.Id)
            .SelectMany(s => s.Attempts.Select(a => (SessionId: s.Id, Attempt: a)))
            .Where(a => a.Attempt.At >= state.ClientsSince)
            .Where(a => (sender is null || a.Attempt.Sender.Contains(sender, StringComparison.OrdinalIgnoreCase))
                && (recipient is null || a.Attempt.Recipient.Contains(recipient, StringComparison.OrdinalIgnoreCase)));
        var groups = attempts
            .GroupBy(a => (a.Attempt.ClientAddress, a.Attempt.Sender, a.Attempt.Recipient))
            .Select(g =>
            {
                var ordered = g.OrderBy(a => a.Attempt.At).ToList();
                var items = ordered.Select((a, i) => new Attempt(a.SessionId, Http.Utc(a.Attempt.At), a.Attempt.Reply, a.Attempt.Rule, i == 0 ? null : Math.Round((a.Attempt.At - ordered[i - 1].Attempt.At).TotalSeconds, 3))).ToArray();
                return new ClientGroup($"{g.Key.ClientAddress}|{g.Key.Sender}|{g.Key.Recipient}", g.Key.ClientAddress, g.Key.Sender, g.Key.Recipient, items);
            })
            .OrderBy(g => g.Attempts[0].At)
            .ToArray();
        await Http.Json(context, groups, ControlJson.Readable.ClientGroupArray).ConfigureAwait(false);
    }
}
