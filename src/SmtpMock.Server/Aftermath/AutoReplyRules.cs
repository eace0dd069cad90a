using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// When an automatic response must not be sent (RFC 3834 §2). Each rule gives the reason a caller notes, so a test
/// that expected an auto-reply learns why none came.
/// </summary>
internal static class AutoReplyRules
{
    /// <summary>List header fields (RFC 2369, RFC 2919): the message came through a mailing list.</summary>
    private static readonly string[] ListFields = ["List-Id", "List-Help", "List-Unsubscribe", "List-Subscribe", "List-Post", "List-Owner", "List-Archive"];

    /// <summary>
    /// Why no response may be sent to <paramref name="original"/> on behalf of <paramref name="responder"/>, or null
    /// when one may. The rules, in the order they are checked:
    /// <list type="number">
    /// <item>the envelope sender is <c>&lt;&gt;</c>: a response MUST NOT go to a null address (§2, and §4 says where
    /// it goes: the reverse-path);</item>
    /// <item>an <c>Auto-Submitted</c> field with any value but <c>no</c>: it was itself automatic (§2, SHOULD NOT);</item>
    /// <item>any <c>List-*</c> field (§2, MAY) or <c>Precedence: bulk</c>, <c>list</c> or <c>junk</c> (§2's own example
    /// of a field that makes a response inappropriate): mailing-list or bulk traffic;</item>
    /// <item>the responder is in none of To, Cc, Bcc, Resent-To, Resent-Cc, Resent-Bcc: an absence notice SHOULD NOT
    /// be sent for a message not addressed to that recipient (§2), such as a blind copy via a list.</item>
    /// </list>
    /// §2's advice not to answer the same sender more than once in a few days is not applied: a mock answers each time,
    /// so every test sees its reply.
    /// </summary>
    public static string? Refusal(CapturedMessage original, MimeMessage parsed, string responder)
    {
        if (original.Sender.IsNull)
        {
            return "the message's envelope sender is <>, and a response is never sent to a null address (RFC 3834 §2)";
        }

        if (parsed.Headers[HeaderId.AutoSubmitted] is { } autoSubmitted && !IsNo(autoSubmitted))
        {
            return $"the message is itself automatic (Auto-Submitted: {autoSubmitted.Trim()}), and automatic messages get no response (RFC 3834 §2)";
        }

        if (ListFields.FirstOrDefault(field => parsed.Headers.Contains(field)) is { } list)
        {
            return $"the message came from a mailing list ({list}), and list traffic gets no response (RFC 3834 §2)";
        }

        if (parsed.Headers["Precedence"]?.Trim() is { } precedence
            && (precedence.Equals("bulk", StringComparison.OrdinalIgnoreCase)
                || precedence.Equals("list", StringComparison.OrdinalIgnoreCase)
                || precedence.Equals("junk", StringComparison.OrdinalIgnoreCase)))
        {
            return $"the message is bulk mail (Precedence: {precedence}), which gets no response (RFC 3834 §2)";
        }

        if (!AddressedTo(parsed, responder))
        {
            return $"{responder} is in none of the message's To, Cc or Bcc fields, and an absence notice answers only mail addressed to its recipient (RFC 3834 §2)";
        }

        return null;
    }

    /// <summary><c>no</c>, possibly followed by a comment or by parameters after a <c>;</c> (RFC 3834 §5).</summary>
    private static bool IsNo(string value)
    {
        var keyword = value.Split([';', '('], 2)[0].Trim();
        return keyword.Equals("no", StringComparison.OrdinalIgnoreCase);
    }

    private static bool AddressedTo(MimeMessage parsed, string responder) =>
        parsed.To.Mailboxes.Concat(parsed.Cc.Mailboxes).Concat(parsed.Bcc.Mailboxes)
            .Concat(parsed.ResentTo.Mailboxes).Concat(parsed.ResentCc.Mailboxes).Concat(parsed.ResentBcc.Mailboxes)
            .Any(mailbox => mailbox.Address.Equals(responder, StringComparison.OrdinalIgnoreCase));
}
