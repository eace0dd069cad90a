using MimeKit;
using MimeKit.Utils;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// The machine-readable part of a DSN, <c>message/delivery-status</c> (RFC 3464 §2): one group of per-message fields,
/// then one group per reported recipient, in the order §2.2 and §2.3 list them.
/// </summary>
internal static class DeliveryStatusFields
{
    public static MessageDeliveryStatus Part(AftermathHost host, CapturedMessage original, IReadOnlyList<(Recipient Recipient, RecipientFailure Failure)> reported, string remoteMta)
    {
        var attempted = DateUtils.FormatDate(host.Time.GetUtcNow());
        HeaderList[] groups = [PerMessage(host, original), .. reported.Select(r => PerRecipient(r.Recipient, r.Failure, remoteMta, attempted))];
        return new MessageDeliveryStatus { Content = FieldGroups.Content(groups) };
    }

    /// <summary>RFC 3464 §2.3.4: the Status field is the enhanced code; a reply without one gets its class's X.0.0.</summary>
    public static string StatusOf(SmtpReply reply) => reply.Enhanced ?? ReplyCatalog.EnhancedFor(reply.Code) ?? $"{reply.Code / 100}.0.0";

    /// <summary>RFC 3464 §2.3.6: the reply as the remote server gave it, its lines joined.</summary>
    public static string DiagnosticOf(SmtpReply reply) => $"{reply.Code} {StatusOf(reply)} {string.Join(' ', reply.Lines)}".TrimEnd();

    private static HeaderList PerMessage(AftermathHost host, CapturedMessage original)
    {
        var fields = new HeaderList();
        if (DsnParameters.EnvelopeId(original) is { } envid)
        {
            fields.Add("Original-Envelope-Id", envid);
        }

        fields.Add("Reporting-MTA", $"dns; {host.Hostname}");
        if (original.HeloName.Length > 0)
        {
            fields.Add("Received-From-MTA", $"dns; {original.HeloName}");
        }

        fields.Add("Arrival-Date", DateUtils.FormatDate(original.ReceivedAt));
        return fields;
    }

    private static HeaderList PerRecipient(Recipient recipient, RecipientFailure failure, string remoteMta, string attempted)
    {
        var fields = new HeaderList();
        if (DsnParameters.OriginalRecipient(recipient) is { } orcpt)
        {
            fields.Add("Original-Recipient", orcpt);
        }

        fields.Add("Final-Recipient", $"rfc822; {recipient.Address}");
        fields.Add("Action", failure.Failed ? "failed" : "delayed");
        fields.Add("Status", StatusOf(failure.Reply));
        fields.Add("Remote-MTA", $"dns; {remoteMta}");
        fields.Add("Diagnostic-Code", $"smtp; {DiagnosticOf(failure.Reply)}");
        fields.Add("Last-Attempt-Date", attempted);
        return fields;
    }
}
