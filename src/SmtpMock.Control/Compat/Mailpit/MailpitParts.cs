using System.Security.Cryptography;
using MimeKit;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>One leaf part of a message with Mailpit's PartID and where Mailpit files it.</summary>
internal sealed record MailpitPart(string PartID, MimeEntity Entity, MailpitPartKind Kind)
{
    public string FileName => (Entity is MimePart part ? part.FileName : Entity.ContentDisposition?.FileName) ?? string.Empty;

    public string ContentId => Entity.ContentId ?? string.Empty;

    /// <summary>The decoded content (a forwarded message part is its whole message).</summary>
    public byte[] Bytes() => Model.MessageViews.AttachmentBytes(Entity);

    public MailpitAttachment ToAttachment()
    {
        var bytes = Bytes();
        return new MailpitAttachment(
            PartID,
            FileName.Length > 0 ? FileName : ContentId,
            Entity.ContentType.MimeType,
            ContentId,
            bytes.LongLength,
            new MailpitChecksums(Hex(MD5.HashData(bytes)), Hex(SHA1.HashData(bytes)), Hex(SHA256.HashData(bytes))));
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}

/// <summary>enmime's three kinds of part besides the text and HTML bodies.</summary>
internal enum MailpitPartKind
{
    Body,
    Attachment,
    Inline,
    Other,
}

/// <summary>
/// The parts of a message numbered as enmime (Mailpit's MIME parser) numbers them: the root is <c>0</c>, a
/// multipart's children <c>1</c>, <c>2</c>... at the top and <c>P.1</c>, <c>P.2</c>... below part P; and filed as enmime
/// files them: attachments (disposition attachment, or application/octet-stream), inlines (disposition inline) and
/// other parts (no disposition, not a text or HTML body, e.g. an image in multipart/related).
/// </summary>
internal static class MailpitParts
{
    public static IReadOnlyList<MailpitPart> Of(MimeMessage message)
    {
        var parts = new List<MailpitPart>();
        if (message.Body is { } body)
        {
            Walk(body, "0", parts);
        }

        return parts;
    }

    /// <summary>Mailpit's <c>Inline</c> list: inlines and other parts that have a file name or a Content-ID.</summary>
    public static MailpitAttachment[] Inline(IReadOnlyList<MailpitPart> parts) =>
        [.. parts.Where(p => p.Kind is MailpitPartKind.Inline or MailpitPartKind.Other && Named(p)).Select(p => p.ToAttachment())];

    /// <summary>Mailpit's <c>Attachments</c> list: attachments that have a file name or a Content-ID.</summary>
    public static MailpitAttachment[] Attachments(IReadOnlyList<MailpitPart> parts) =>
        [.. parts.Where(p => p.Kind == MailpitPartKind.Attachment && Named(p)).Select(p => p.ToAttachment())];

    private static bool Named(MailpitPart part) => part.FileName.Length > 0 || part.ContentId.Length > 0;

    private static void Walk(MimeEntity entity, string id, List<MailpitPart> parts)
    {
        if (entity is Multipart multipart)
        {
            for (var i = 0; i < multipart.Count; i++)
            {
                Walk(multipart[i], id == "0" ? $"{i + 1}" : $"{id}.{i + 1}", parts);
            }

            return;
        }

        parts.Add(new MailpitPart(id, entity, KindOf(entity)));
    }

    private static MailpitPartKind KindOf(MimeEntity entity)
    {
        var disposition = entity.ContentDisposition?.Disposition;
        var type = entity.ContentType;
        if (string.Equals(disposition, ContentDisposition.Attachment, StringComparison.OrdinalIgnoreCase) || type.IsMimeType("application", "octet-stream"))
        {
            return MailpitPartKind.Attachment;
        }

        var isBody = type.IsMimeType("text", "plain") || type.IsMimeType("text", "html");
        if (string.Equals(disposition, ContentDisposition.Inline, StringComparison.OrdinalIgnoreCase))
        {
            return isBody && entity is MimePart { FileName: null } ? MailpitPartKind.Body : MailpitPartKind.Inline;
        }

        return isBody ? MailpitPartKind.Body : MailpitPartKind.Other;
    }
}
