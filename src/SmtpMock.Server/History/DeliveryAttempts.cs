using System.Net;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.History;

/// <summary>
/// A session's delivery attempts, read from its transcript: each command waits in a queue for its reply (PIPELINING
/// sends several before the first reply), a RCPT's reply is its attempt's reply, and an accepted recipient's becomes
/// the end-of-data reply (the dot's, or the last BDAT chunk's).
/// </summary>
internal static class DeliveryAttempts
{
    public static IReadOnlyList<DeliveryAttempt> From(SessionContext session, IReadOnlyList<TranscriptLine> lines)
    {
        var client = session.Client is IPEndPoint ip ? ip.Address.ToString() : session.ClientText;
        var found = new List<Found>();
        var pending = new Queue<(string Verb, DateTimeOffset At, string Argument)>();
        var accepted = new List<Found>();
        var sender = string.Empty;
        var inData = false;
        foreach (var line in lines)
        {
            if (line.Direction == TranscriptDirection.In)
            {
                pending.Enqueue((line.Text.Split(' ', 2)[0].ToUpperInvariant(), line.At, line.Text));
                continue;
            }

            if (line.Direction != TranscriptDirection.Out || !IsFinal(line.Text))
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
                    var attempt = new Found(command.At, Address(command.Argument)) { Reply = line.Text, Rule = line.Rule, Sender = sender };
                    found.Add(attempt);
                    if (ok)
                    {
                        accepted.Add(attempt);
                    }

                    break;
                case "DATA":
                    inData = line.Text.StartsWith("354", StringComparison.Ordinal);
                    break;
                case "BDAT":
                    // Each chunk's reply is the BDAT's; the LAST chunk's is the message's.
                    if (command.Argument.Contains(" LAST", StringComparison.OrdinalIgnoreCase))
                    {
                        foreach (var a in accepted)
                        {
                            (a.Reply, a.Rule) = (line.Text, line.Rule);
                        }

                        accepted = [];
                    }

                    break;
                case "RSET":
                    accepted = [];
                    break;
            }
        }

        return [.. found.Select(f => new DeliveryAttempt(f.At, client, f.Sender, f.Recipient, f.Reply, f.Rule))];
    }

    /// <summary>The last line of a reply (<c>250 OK</c>, not <c>250-SIZE</c>).</summary>
    internal static bool IsFinal(string text) => text.Length == 3 || (text.Length > 3 && text[3] == ' ');

    private static string Address(string command)
    {
        var start = command.IndexOf('<', StringComparison.Ordinal);
        var end = command.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? command[(start + 1)..end] : command.Split(':', 2).ElementAtOrDefault(1)?.Trim() ?? string.Empty;
    }

    private sealed record Found(DateTimeOffset At, string Recipient)
    {
        public string Sender { get; init; } = string.Empty;

        public string Reply { get; set; } = string.Empty;

        public string? Rule { get; set; }
    }
}
