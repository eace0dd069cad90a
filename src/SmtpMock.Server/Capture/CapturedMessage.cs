using MimeKit;
using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Capture;

/// <summary>One recipient as the client gave it in RCPT TO.</summary>
public sealed record Recipient(MailPath Path, IReadOnlyList<EsmtpParameter> Parameters)
{
    public string Address => Path.Address;
}

/// <summary>
/// A message the server accepted with 250: its envelope, where it came from, and its exact bytes (after the
/// transparency dots were removed). MimeKit parses the bytes only when <see cref="Message"/> is first read.
/// </summary>
public sealed class CapturedMessage
{
    private readonly Lazy<MimeMessage> _message;

    public CapturedMessage(
        string id,
        long sessionId,
        DateTimeOffset receivedAt,
        string client,
        string heloName,
        MailPath sender,
        IReadOnlyList<EsmtpParameter> senderParameters,
        IReadOnlyList<Recipient> recipients,
        byte[] raw)
    {
        Id = id;
        SessionId = sessionId;
        ReceivedAt = receivedAt;
        Client = client;
        HeloName = heloName;
        Sender = sender;
        SenderParameters = senderParameters;
        Recipients = recipients;
        Raw = raw;
        _message = new Lazy<MimeMessage>(() => MimeMessage.Load(new MemoryStream(raw, writable: false)));
    }

    public string Id { get; }

    public long SessionId { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The client's address and port.</summary>
    public string Client { get; }

    /// <summary>The name the client gave in EHLO or HELO.</summary>
    public string HeloName { get; }

    /// <summary>MAIL FROM's reverse-path (<see cref="MailPath.Null"/> for bounces).</summary>
    public MailPath Sender { get; }

    /// <summary>MAIL FROM's ESMTP parameters (SIZE, BODY, SMTPUTF8...).</summary>
    public IReadOnlyList<EsmtpParameter> SenderParameters { get; }

    public IReadOnlyList<Recipient> Recipients { get; }

    /// <summary>The content exactly as stored: what the client sent, dot-unstuffed.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public long Size => Raw.Length;

    /// <summary>The content parsed by MimeKit (on first use).</summary>
    public MimeMessage Message => _message.Value;
}
