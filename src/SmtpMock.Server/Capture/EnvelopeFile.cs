using System.Text.Json;
using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Capture;

/// <summary>
/// The JSON a <see cref="MessageDirectory"/> writes beside each .eml: the envelope, the session facts and the read flag
/// and tags, so a restart gives back the message as it was.
/// </summary>
internal sealed record EnvelopeFile(
    string Id,
    long SessionId,
    DateTimeOffset ReceivedAt,
    string Client,
    string HeloName,
    string MailFrom,
    List<string> MailParameters,
    List<EnvelopeRecipient> Recipients,
    long Size)
{
    public string? Tls { get; init; }

    public string? AuthenticatedUser { get; init; }

    public string? AuthMechanism { get; init; }

    /// <summary>What generated the message, when the server did.</summary>
    public MessageOrigin? Origin { get; init; }

    public bool Read { get; init; }

    /// <summary>The message's tags, or null in a file written before tags were kept (they are found again).</summary>
    public List<string>? Tags { get; init; }

    public static EnvelopeFile From(CapturedMessage message) =>
        new(
            message.Id,
            message.SessionId,
            message.ReceivedAt,
            message.Client,
            message.HeloName,
            message.Sender.Address,
            message.SenderParameters.Select(p => p.ToString()).ToList(),
            message.Recipients.Select(r => new EnvelopeRecipient(r.Address, r.Parameters.Select(p => p.ToString()).ToList())).ToList(),
            message.Size)
        {
            Tls = message.Tls,
            AuthenticatedUser = message.AuthenticatedUser,
            AuthMechanism = message.AuthMechanism,
            Origin = message.Origin,
            Read = message.Read,
            Tags = [.. message.Tags],
        };

    /// <summary>The envelope in <paramref name="json"/>; a <see cref="JsonException"/> when it is not one this server wrote.</summary>
    public static EnvelopeFile? FromJson(byte[] json) => JsonSerializer.Deserialize(json, EnvelopeJson.Default.EnvelopeFile);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, EnvelopeJson.Default.EnvelopeFile);

    /// <summary>The message this envelope describes, its content in <paramref name="raw"/> or left on disk in <paramref name="file"/>.</summary>
    public CapturedMessage ToMessage(byte[]? raw, string? file)
    {
        var message = new CapturedMessage(
            Id,
            SessionId,
            ReceivedAt,
            Client,
            HeloName,
            ToPath(MailFrom),
            MailParameters.Select(ToParameter).ToList(),
            Recipients.Select(r => new Recipient(ToPath(r.Address), r.Parameters.Select(ToParameter).ToList())).ToList(),
            raw,
            file)
        {
            Tls = Tls,
            AuthenticatedUser = AuthenticatedUser,
            AuthMechanism = AuthMechanism,
            Origin = Origin,
            Read = Read,
        };
        if (Tags is { } tags)
        {
            message.SetTags(MessageTags.Clean(tags));
        }

        return message;
    }

    private static MailPath ToPath(string address)
    {
        if (address.Length == 0)
        {
            return MailPath.Null;
        }

        var at = address.LastIndexOf('@');
        return at < 0 ? new MailPath(address, string.Empty, null) : new MailPath(address[..at], address[(at + 1)..], null);
    }

    private static EsmtpParameter ToParameter(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? new EsmtpParameter(text, null) : new EsmtpParameter(text[..eq], text[(eq + 1)..]);
    }
}
