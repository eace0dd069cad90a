using MimeKit;
using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// What a builder made from an accepted message: the generated message with its own envelope, or nothing and why not
/// (a bounce about a bounce, an auto-reply to an automatic message...), so the caller can capture it, deliver it, or
/// note in the transcript why nothing came.
/// </summary>
internal sealed class AftermathResult
{
    private AftermathResult(AftermathKind kind, string originalId, MimeMessage? message, MailPath sender, IReadOnlyList<MailPath> recipients, string reason)
    {
        Kind = kind;
        OriginalId = originalId;
        Message = message;
        Sender = sender;
        Recipients = recipients;
        Reason = reason;
    }

    public AftermathKind Kind { get; }

    /// <summary>The captured message this one is about.</summary>
    public string OriginalId { get; }

    /// <summary>The generated message, or null when the rules say none is sent.</summary>
    public MimeMessage? Message { get; }

    public bool Generated => Message is not null;

    /// <summary>MAIL FROM of the generated message: always the null path, so nothing answers it in turn.</summary>
    public MailPath Sender { get; }

    /// <summary>RCPT TO of the generated message; empty when nothing was generated.</summary>
    public IReadOnlyList<MailPath> Recipients { get; }

    /// <summary>Why it was generated (the failure, the feedback type...), or why nothing was, with the rule that says so.</summary>
    public string Reason { get; }

    public static AftermathResult Made(AftermathKind kind, string originalId, MimeMessage message, MailPath recipient, string reason) =>
        new(kind, originalId, message, MailPath.Null, [recipient], reason);

    public static AftermathResult Nothing(AftermathKind kind, string originalId, string reason) =>
        new(kind, originalId, null, MailPath.Null, [], reason);

    /// <summary>The generated message as it goes over SMTP (CRLF line endings), ready to capture or relay.</summary>
    public byte[] ToBytes()
    {
        if (Message is null)
        {
            throw new InvalidOperationException($"No {AftermathKinds.Name(Kind)} was generated: {Reason}");
        }

        using var buffer = new MemoryStream();
        Message.WriteTo(WireFormat.Options, buffer);
        return buffer.ToArray();
    }

    public override string ToString() => Generated
        ? $"{AftermathKinds.Name(Kind)} to {string.Join(", ", Recipients)}: {Reason}"
        : $"no {AftermathKinds.Name(Kind)}: {Reason}";
}
