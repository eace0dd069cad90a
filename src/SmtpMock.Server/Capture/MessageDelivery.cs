using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Capture;

/// <summary>Everything known about a message when its transaction ends, but its content.</summary>
internal sealed record MessageEnvelope(
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
}

/// <summary>Turns a finished transaction into a captured message, or says in one line why it could not be kept.</summary>
internal static class MessageDelivery
{
    /// <returns>The stored message, or null with <paramref name="failure"/> saying why (a disk that failed).</returns>
    public static CapturedMessage? TryStore(MessageStore store, MessageContent content, MessageEnvelope envelope, out string? failure)
    {
        string? spooled = null;
        try
        {
            if (content.Failed)
            {
                throw new IOException("the spool file could not be written");
            }

            var (bytes, file, _) = content.Take();
            spooled = file;
            var message = new CapturedMessage(
                envelope.Id,
                envelope.SessionId,
                envelope.ReceivedAt,
                envelope.Client,
                envelope.HeloName,
                envelope.Sender,
                envelope.SenderParameters,
                envelope.Recipients,
                bytes,
                file)
            {
                Tls = envelope.Tls,
                AuthenticatedUser = envelope.AuthenticatedUser,
                AuthMechanism = envelope.AuthMechanism,
            };
            store.Add(message);
            failure = null;
            return message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (spooled is not null && File.Exists(spooled))
            {
                File.Delete(spooled);
            }

            failure = e.Message;
            return null;
        }
    }
}
