using System.Text;
using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// Builds the delivery status notification (RFC 3464, in a multipart/report of RFC 6522) that a mail path sends to the
/// envelope sender when a message it accepted fails afterwards: a human-readable part, the
/// <c>message/delivery-status</c> fields, and the original's header fields (or the whole original with RET=FULL).
/// </summary>
internal sealed class BounceBuilder(AftermathHost host)
{
    /// <summary>
    /// The DSN for <paramref name="request"/>'s recipients, or nothing when the original's envelope sender is the null
    /// path: a bounce (or any message sent with <c>MAIL FROM:&lt;&gt;</c>) never gets a DSN, so two servers can never
    /// bounce a message back and forth (RFC 5321 §6.1: no notification to a null
    /// reverse-path; the DSN itself goes out with the null path, so it never gets one). Recipients whose RCPT asked for no
    /// such report with NOTIFY (RFC 3461 §4.1) are left out, and nothing is sent when that leaves none.
    /// </summary>
    /// <exception cref="ArgumentException">An address in the request is not a recipient of the original.</exception>
    public AftermathResult Build(CapturedMessage original, BounceRequest request)
    {
        var failures = request.Failures.Select(failure => (Recipient: OriginalRecipients.Of(original, failure.Address), Failure: failure)).ToList();
        if (original.Sender.IsNull)
        {
            return AftermathResult.Nothing(AftermathKind.Bounce, original.Id,
                "the message's envelope sender is <> (a bounce or other notification), and no DSN is ever sent about one (RFC 5321 §6.1)");
        }

        var reported = failures.Where(f => DsnParameters.Wants(f.Recipient, f.Failure.Failed)).ToList();
        if (reported.Count == 0)
        {
            return AftermathResult.Nothing(AftermathKind.Bounce, original.Id,
                "every failed recipient's RCPT asked for no such report with NOTIFY (RFC 3461 §4.1)");
        }

        var failed = reported.Any(f => f.Failure.Failed);
        var full = request.ReturnFullMessage ?? DsnParameters.ReturnFull(original) ?? false;
        var parsed = original.Message;
        var message = GeneratedHeaders.Start(host, AftermathKind.Bounce, original.Id, GeneratedHeaders.AutoReplied,
            failed ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)");
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{host.Hostname}"));
        message.To.Add(new MailboxAddress(null, original.Sender.Address));
        message.Body = new MultipartReport("delivery-status",
            new TextPart("plain") { Text = Explanation(reported, failed, full) },
            DeliveryStatusFields.Part(host, original, reported, request.RemoteMta ?? host.Hostname),
            OriginalContent.Part(original, parsed, full));

        var reason = string.Join("; ", reported.Select(f => $"{f.Recipient.Address}: {DeliveryStatusFields.DiagnosticOf(f.Failure.Reply)}"));
        return AftermathResult.Made(AftermathKind.Bounce, original.Id, message, original.Sender, reason);
    }

    private string Explanation(IReadOnlyList<(Recipient Recipient, RecipientFailure Failure)> reported, bool failed, bool full)
    {
        var text = new StringBuilder();
        text.Append("This is the mail system at ").Append(host.Hostname).Append(".\n\n");
        text.Append(failed
            ? "Your message could not be delivered to one or more recipients.\n"
            : "Your message has not been delivered yet to one or more recipients. Delivery will be retried;\nyou do not need to send it again.\n");
        text.Append('\n');
        foreach (var (recipient, failure) in reported)
        {
            text.Append('<').Append(recipient.Address).Append(">: ")
                .Append(failure.Failed ? "failed" : "delayed").Append(", the server said: ")
                .Append(DeliveryStatusFields.DiagnosticOf(failure.Reply)).Append('\n');
        }

        text.Append('\n').Append(full ? "Your message follows the delivery report.\n" : "The header of your message follows the delivery report.\n");
        return text.ToString();
    }
}
