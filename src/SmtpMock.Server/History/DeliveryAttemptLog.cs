using System.Net;
using SmtpMock.Server.Session;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.History;

/// <summary>
/// A session's delivery attempts as its typed events tell them (<see cref="RecipientAnswered"/>,
/// <see cref="MessageAnswered"/>), never read back from the transcript: each answered RCPT is an attempt with its reply
/// and rule, and an accepted recipient's reply becomes the message's (the dot's, or the LAST BDAT chunk's) once the
/// message of its transaction is answered. Bounded like the transcript: the first <c>max</c> attempts are kept. The
/// session writes; readers take a <see cref="Snapshot"/>.
/// </summary>
internal sealed class DeliveryAttemptLog(int max)
{
    private readonly Lock _gate = new();
    private List<Attempt>? _attempts;
    private List<Attempt>? _awaitingMessage;
    private int _transaction = -1;

    /// <summary>Attempts past the bound, not kept.</summary>
    public long Dropped { get; private set; }

    public void Recipient(in RecipientAnswered e)
    {
        var attempt = new Attempt(e.At, e.Sender, e.Recipient) { Reply = e.Reply.WireLines[^1], Rule = e.Rule };
        lock (_gate)
        {
            if (_transaction != e.Session.TransactionResets)
            {
                // A new transaction (RSET, a new MAIL, the end of the last message): earlier recipients wait no more.
                _awaitingMessage?.Clear();
                _transaction = e.Session.TransactionResets;
            }

            if ((_attempts ??= []).Count >= max)
            {
                Dropped++;
                return;
            }

            _attempts.Add(attempt);
            if (e.Accepted)
            {
                (_awaitingMessage ??= []).Add(attempt);
            }
        }
    }

    public void Message(in MessageAnswered e)
    {
        var reply = e.Reply.WireLines[^1];
        lock (_gate)
        {
            if (_awaitingMessage is null || _transaction != e.Session.TransactionResets)
            {
                return;
            }

            foreach (var attempt in _awaitingMessage)
            {
                (attempt.Reply, attempt.Rule) = (reply, e.Rule);
            }

            _awaitingMessage.Clear();
        }
    }

    /// <summary>The attempts so far, as immutable records.</summary>
    public IReadOnlyList<DeliveryAttempt> Snapshot(SessionContext session)
    {
        var client = session.Client is IPEndPoint ip ? ip.Address.ToString() : session.ClientText;
        lock (_gate)
        {
            return _attempts is null ? [] : [.. _attempts.Select(a => new DeliveryAttempt(a.At, client, a.Sender, a.Recipient, a.Reply, a.Rule))];
        }
    }

    private sealed class Attempt(DateTimeOffset at, string sender, string recipient)
    {
        public DateTimeOffset At => at;

        public string Sender => sender;

        public string Recipient => recipient;

        public required string Reply { get; set; }

        public string? Rule { get; set; }
    }
}
