using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Control.Api;

internal sealed record Attempt(long SessionId, DateTimeOffset At, string Reply, string? Rule, double? GapSeconds);

internal sealed record ClientGroup(string Key, string Client, string Sender, string Recipient, Attempt[] Attempts);

/// <summary>
/// GET /api/v1/clients: the kept sessions' delivery attempts grouped by client key (client IP + MAIL FROM + RCPT TO,
/// the key a greylisting rule counts), each with its time, the reply it got and the gap since the previous attempt,
/// so a test can assert how a client retried. Attempts before the last scenario reset are left out.
/// </summary>
internal sealed class ClientsApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api) => api.MapGet("/clients", new RequestDelegate(ListAsync));

    private Task ListAsync(HttpContext context)
    {
        var sender = Http.Query(context, "sender");
        var recipient = Http.Query(context, "recipient");
        var attempts = state.Server.FinishedSessions.Concat(state.Server.OpenSessions).DistinctBy(s => s.Id)
            .SelectMany(Attempts)
            .Where(a => a.At >= state.ClientsSince)
            .Where(a => (sender is null || a.Sender.Contains(sender, StringComparison.OrdinalIgnoreCase))
                && (recipient is null || a.Recipient.Contains(recipient, StringComparison.OrdinalIgnoreCase)));
        var groups = attempts
            .GroupBy(a => (a.Client, a.Sender, a.Recipient))
            .Select(g =>
            {
                var ordered = g.OrderBy(a => a.At).ToList();
                var items = ordered.Select((a, i) => new Attempt(a.SessionId, Http.Utc(a.At), a.Reply, a.Rule, i == 0 ? null : Math.Round((a.At - ordered[i - 1].At).TotalSeconds, 3))).ToArray();
                return new ClientGroup($"{g.Key.Client}|{g.Key.Sender}|{g.Key.Recipient}", g.Key.Client, g.Key.Sender, g.Key.Recipient, items);
            })
            .OrderBy(g => g.Attempts[0].At)
            .ToArray();
        return Http.Json(context, groups, ControlJson.Readable.ClientGroupArray);
    }

    private sealed record Found(long SessionId, string Client, string Sender, string Recipient, DateTimeOffset At)
    {
        public string Reply { get; set; } = string.Empty;

        public string? Rule { get; set; }
    }

    /// <summary>
    /// Walks one transcript: each command waits in a queue for its reply (PIPELINING sends several before the first
    /// reply), a RCPT's reply is its attempt's reply, and an accepted recipient's becomes the end-of-data reply.
    /// </summary>
    private static IEnumerable<Found> Attempts(SessionContext session)
    {
        var client = session.Client is IPEndPoint ip ? ip.Address.ToString() : session.ClientText;
        var found = new List<Found>();
        var pending = new Queue<(string Verb, Found? Attempt, DateTimeOffset At, string Argument)>();
        var accepted = new List<Found>();
        var sender = string.Empty;
        var inData = false;
        foreach (var line in session.Transcript.Lines)
        {
            if (line.Direction == TranscriptDirection.In)
            {
                var verb = line.Text.Split(' ', 2)[0].ToUpperInvariant();
                pending.Enqueue((verb, null, line.At, line.Text));
                continue;
            }

            if (line.Direction != TranscriptDirection.Out || !(line.Text.Length == 3 || (line.Text.Length > 3 && line.Text[3] == ' ')))
            {
                continue;
            }

            var ok = line.Text[0] == '2';
            if (pending.Count == 0)
            {
                if (inData)
                {
                    // The reply after the message content: what the accepted recipients finally got.
                    foreach (var attempt in accepted)
                    {
                        (attempt.Reply, attempt.Rule) = (line.Text, line.Rule);
                    }

                    (inData, accepted) = (false, []);
                }

                continue;
            }

            var command = pending.Dequeue();
            switch (command.Verb)
            {
                case "MAIL":
                    sender = ok ? Address(command.Argument) : string.Empty;
                    accepted = [];
                    break;
                case "RCPT":
                    var attempt = new Found(session.Id, client, sender, Address(command.Argument), command.At) { Reply = line.Text, Rule = line.Rule };
                    found.Add(attempt);
                    if (ok)
                    {
                        accepted.Add(attempt);
                    }

                    break;
                case "DATA":
                    inData = line.Text.StartsWith("354", StringComparison.Ordinal);
                    break;
                case "RSET":
                    accepted = [];
                    break;
            }
        }

        return found;
    }

    private static string Address(string command)
    {
        var start = command.IndexOf('<', StringComparison.Ordinal);
        var end = command.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? command[(start + 1)..end] : command.Split(':', 2).ElementAtOrDefault(1)?.Trim() ?? string.Empty;
    }
}
