using System.Net;
using SmtpMock.Server.Session;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.History;

/// <summary>
/// A session's delivery attempts as its typed events tell them (<see cref="RecipientAnswered"/>,
/// <see cref="MessageAnswered"/>), never read back from the transcript: each answered RCPT is an attempt with its reply
/// and rule, and an accepted recipient's reply becomes the message's (the dot's, or the LAST BDAT chunk's) once the
/// message of its transaction is answered. Bounded like the transcript (<see cref="BoundFor"/>): the first <c>max</c> attempts are kept. The
/// session writes; readers take a <see cref="Snapshot"/>, which shares the immutable attempts instead of copying them.
/// </summary>
internal sealed class DeliveryAttemptLog(int max)
{
    private readonly Lock _gate = new();
    private List<DeliveryAttempt>? _attempts;

    /// <summary>Where the accepted recipients of the open transaction stand in <see cref="_attempts"/>.</summary>
    private List<int>? _awaitingMessage;
    private int _transaction = -1;
    private string? _client;

    /// <summary>
    /// The bound for a session whose transcript keeps <paramref name="transcriptLines"/> lines: an attempt takes at least
    /// four of them (MAIL or another RCPT before it, the RCPT, and their replies), so no more attempts are kept than a
    /// full transcript could show (a long persistent session must not keep more than its transcript would).
    /// </summary>
    public static int BoundFor(int transcriptLines) => Math.Max(1, transcriptLines / 4);

    public void Recipient(in RecipientAnswered e)
    {
        var session = e.Session;
        lock (_gate)
        {
            if (_transaction != session.TransactionResets)
            {
                // A new transaction (RSET, a new MAIL, the end of the last message): earlier recipients wait no more.
                _awaitingMessage?.Clear();
                _transaction = session.TransactionResets;
            }

            if ((_attempts ??= []).Count >= max)
            {
                return; // past the bound: not kept
            }

            _client ??= session.Client is IPEndPoint ip ? ip.Address.ToString() : session.ClientText;
            if (e.Accepted)
            {
                (_awaitingMessage ??= []).Add(_attempts.Count);
            }

            _attempts.Add(new DeliveryAttempt(e.At, _client, e.Sender, e.Recipient, e.Reply.WireLines[^1], e.Rule));
        }
    }

    public void Message(in MessageAnswered e)
    {
        var reply = e.Reply.WireLines[^1];
        lock (_gate)
        {
            if (_awaitingMessage is null || _attempts is null || _transaction != e.Session.TransactionResets)
            {
                return;
            }

            foreach (var index in _awaitingMessage)
            {
                _attempts[index] = _attempts[index] with { Reply = reply, Rule = e.Rule };
            }

            _awaitingMessage.Clear();
        }
    }

    /// <summary>The attempts so far (immutable records, shared).</summary>
    public IReadOnlyList<DeliveryAttempt> Snapshot()
    {
        lock (_gate)
        {
            return _attempts is null ? [] : [.. _attempts];
        }
    }
}
