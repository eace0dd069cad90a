using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Session;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.Webhooks;

/// <summary>
/// Turns what sessions do into webhook events: a stored message, a refused MAIL, RCPT or message end, and each
/// session's end. Publishing only queues (the dispatcher never waits), so a session is never slowed by a receiver.
/// </summary>
internal sealed class WebhookObserver(WebhookDispatcher dispatcher) : ISessionObserver
{
    public void OnReplySent(in ReplySent e)
    {
        // RCPT and the message end have their own events with the addresses; MAIL's refusal is only a reply.
        if (e.Point == ScenarioPoint.Mail && e.Reply.Code >= 400)
        {
            dispatcher.Publish(Refused(e.At, e.Session.Id, null, [], e.Reply, e.Rule, "MAIL"));
        }
    }

    public void OnRecipientAnswered(in RecipientAnswered e)
    {
        if (!e.Accepted)
        {
            dispatcher.Publish(Refused(e.At, e.Session.Id, e.Sender, [e.Recipient], e.Reply, e.Rule, "RCPT"));
        }
    }

    public void OnMessageAnswered(in MessageAnswered e)
    {
        dispatcher.Publish(e.Message is { } message
            ? MessageCapturedEvent.From(message, e.At)
            : Refused(e.At, e.Session.Id, e.Sender, e.Recipients, e.Reply, e.Rule, "MESSAGE"));
    }

    public void OnSessionEnded(in SessionEnded e)
    {
        var session = e.Session;
        dispatcher.Publish(new SessionEndedEvent(
            e.At,
            session.Id,
            session.ClientText,
            session.StartedAt,
            session.EndedAt ?? e.At,
            session.Commands,
            session.AcceptedMessages.Count,
            session.Faults,
            session.EndReason ?? "ended"));
    }

    /// <summary>What tells the receivers a bounce, auto-reply or complaint was generated (and captured).</summary>
    public static Action<CapturedMessage> OnGenerated(WebhookDispatcher dispatcher, TimeProvider clock) => message =>
    {
        if (message.Origin is { } origin && Kind(origin.Kind) is { } kind)
        {
            dispatcher.Publish(new MessageGeneratedEvent(clock.GetUtcNow(), kind, message.Id, origin.OriginalId, message.Recipients.Count > 0 ? message.Recipients[0].Address : string.Empty));
        }
    };

    private static GeneratedKind? Kind(string kind) => kind switch
    {
        "bounce" => GeneratedKind.Bounce,
        "autoreply" => GeneratedKind.AutoReply,
        "complaint" => GeneratedKind.Complaint,
        _ => null,
    };

    private static MessageRefusedEvent Refused(DateTimeOffset at, long session, string? sender, IReadOnlyList<string> recipients, SmtpReply reply, string? rule, string point) =>
        new(at, session, sender, recipients, reply.Code, reply.Enhanced, string.Join(" ", reply.Lines), rule, point);
}
