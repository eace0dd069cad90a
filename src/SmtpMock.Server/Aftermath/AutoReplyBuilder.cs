using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// Builds the automatic response (RFC 3834) a recipient's out-of-office or vacation responder sends: from the
/// recipient, to the envelope sender, threaded under the original, marked <c>Auto-Submitted: auto-replied</c>.
/// </summary>
internal sealed class AutoReplyBuilder(AftermathHost host)
{
    /// <summary>
    /// The response, or nothing when <see cref="AutoReplyRules.Refusal"/> says none may be sent. It goes to the
    /// envelope sender, not to From or Reply-To: RFC 3834 §4 sends automatic responses to the Return-Path after
    /// delivery and to the reverse-path before it, which are the same address here, and never to any other even
    /// when it is missing. Its own envelope sender is <c>&lt;&gt;</c> (§3.3), so nothing answers or bounces it in turn.
    /// </summary>
    /// <exception cref="ArgumentException">The responder is not a recipient of the original.</exception>
    public AftermathResult Build(CapturedMessage original, AutoReplyRequest request)
    {
        var responder = OriginalRecipients.Of(original, request.Responder);
        var parsed = original.Message;
        if (AutoReplyRules.Refusal(original, parsed, responder.Address) is { } refusal)
        {
            return AftermathResult.Nothing(AftermathKind.AutoReply, original.Id, refusal);
        }

        // §3.1.5: a brief indication that it is automatic, then the original subject.
        var subject = string.IsNullOrWhiteSpace(parsed.Subject) ? request.SubjectPrefix : $"{request.SubjectPrefix} {parsed.Subject}";
        var message = GeneratedHeaders.Start(host, AftermathKind.AutoReply, original.Id, GeneratedHeaders.AutoReplied, subject);

        // §3.1.1: from the recipient on whose behalf it answers; §3.1.3: to the one address it answers.
        message.From.Add(new MailboxAddress(null, responder.Address));
        message.To.Add(new MailboxAddress(null, original.Sender.Address));

        // §3.1.6: In-Reply-To and References by the rules of RFC 5322 §3.6.4, when the original had a Message-ID.
        if (parsed.MessageId is { Length: > 0 } originalId)
        {
            message.InReplyTo = originalId;
            IEnumerable<string> references = parsed.References.Count > 0 ? parsed.References
                : parsed.InReplyTo is { Length: > 0 } parent ? [parent]
                : [];
            foreach (var reference in references.Append(originalId))
            {
                message.References.Add(reference);
            }
        }

        message.Body = new TextPart("plain") { Text = request.Text };
        return AftermathResult.Made(AftermathKind.AutoReply, original.Id, message, original.Sender,
            $"{responder.Address} answered automatically ({request.SubjectPrefix})");
    }
}
