using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Model;

/// <summary>
/// What the API shows of a captured message: the list's summary (from the kept <see cref="ContentSummary"/>) and the
/// detail view and attachments (from a fresh MimeKit parse). Kept apart from the endpoints so the fuzzer's <c>mime</c>
/// target builds exactly what a client gets, without a server.
/// </summary>
internal static class MessageViews
{
    public static MessageSummary Summary(CapturedMessage message, int? faults) => new(
        message.Id,
        message.SessionId,
        message.Sender.Address,
        [.. message.Recipients.Select(r => r.Address)],
        message.Summary.Subject,
        message.Size,
        ApiTime.Utc(message.ReceivedAt),
        message.Summary.Attachments,
        message.Summary.HasHtml,
        Tls(message),
        message.AuthenticatedUser,
        message.AuthMechanism,
        faults,
        Origin(message),
        message.Read,
        [.. message.Tags]);

    /// <summary>The detail view; <paramref name="produced"/> lists what the server generated about it (bounces...).</summary>
    public static MessageDetail Detail(CapturedMessage message, int? faults, Generated[] produced)
    {
        var mime = message.Message;
        var attachments = mime.Attachments.Select((part, i) => new Attachment(i, FileName(part), part.ContentType.MimeType, AttachmentBytes(part).LongLength)).ToArray();
        return new MessageDetail(
            message.Id,
            message.SessionId,
            ApiTime.Utc(message.ReceivedAt),
            message.Client,
            message.HeloName,
            new Envelope(
                message.Sender.Address,
                [.. message.SenderParameters.Select(p => new Parameter(p.Keyword, p.Value))],
                [.. message.Recipients.Select(r => new EnvelopeRecipient(r.Address, [.. r.Parameters.Select(p => new Parameter(p.Keyword, p.Value))]))]),
            mime.Subject,
            [.. mime.Headers.Select(h => new Header(h.Field, h.Value))],
            mime.TextBody,
            mime.HtmlBody,
            attachments,
            message.Size,
            Tls(message),
            message.AuthenticatedUser,
            message.AuthMechanism,
            faults,
            Origin(message),
            produced,
            message.Read,
            [.. message.Tags]);
    }

    private static Generated? Origin(CapturedMessage message) =>
        message.Origin is { } origin ? new Generated(origin.Kind, origin.OriginalId) : null;

    public static string? FileName(MimeEntity part) => part is MimePart mime ? mime.FileName : part.ContentDisposition?.FileName;

    /// <summary>An attachment's decoded bytes (a forwarded message/rfc822 part is its whole message).</summary>
    public static byte[] AttachmentBytes(MimeEntity part)
    {
        using var bytes = new MemoryStream();
        switch (part)
        {
            case MimePart mime when mime.Content is not null:
                mime.Content.DecodeTo(bytes);
                break;
            case MessagePart message when message.Message is not null:
                message.Message.WriteTo(bytes);
                break;
            default:
                part.WriteTo(bytes);
                break;
        }

        return bytes.ToArray();
    }

    /// <summary>
    /// What attachment <paramref name="n"/> is served as: its declared type (for the X- header; the response itself is
    /// always application/octet-stream) and the file name it downloads as (<c>attachment-N</c> when it names none).
    /// </summary>
    public static (string DeclaredType, string FileName) AttachmentFile(MimeEntity part, int n) =>
        (part.ContentType.MimeType, FileName(part) is { Length: > 0 } name ? name : $"attachment-{n}");

    private static TlsView? Tls(CapturedMessage message) =>
        message.TlsProtocol is { } protocol ? new TlsView(protocol, message.TlsCipherSuite ?? string.Empty) : null;
}
