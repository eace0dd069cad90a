using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Capture;

/// <summary>Everything known about a message when its transaction ends, but its content: what a store saves beside it.</summary>
public sealed record MessageEnvelope(
    string Id,
    long SessionId,
    DateTimeOffset ReceivedAt,
    string Client,
    string HeloName,
    MailPath Sender,
    IReadOnlyList<EsmtpParameter> SenderParameters,
    IReadOnlyList<Recipient> Recipients)
{
    /// <summary>The TLS protocol and cipher the message came over, or null for plaintext.</summary>
    public string? Tls { get; init; }

    public string? AuthenticatedUser { get; init; }

    public string? AuthMechanism { get; init; }

    /// <summary>Set when the server generated the message (a bounce of another one); null for what a client sent.</summary>
    public MessageOrigin? Origin { get; init; }

    /// <summary>The captured message with this envelope and its content in memory (<paramref name="raw"/>) or in a file.</summary>
    public CapturedMessage ToMessage(byte[]? raw, string? contentFile) =>
        new(Id, SessionId, ReceivedAt, Client, HeloName, Sender, SenderParameters, Recipients, raw, contentFile)
        {
            Tls = Tls,
            AuthenticatedUser = AuthenticatedUser,
            AuthMechanism = AuthMechanism,
            Origin = Origin,
        };
}
