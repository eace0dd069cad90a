using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// The original message as a part of a report: its header block (<c>text/rfc822-headers</c>, RFC 6522) or the whole
/// message (<c>message/rfc822</c>), both copied octet for octet from what was captured, never re-serialized, so a
/// bounce processor sees exactly the headers the application sent (its own Message-ID, X- fields, DKIM signature).
/// </summary>
internal static class OriginalContent
{
    /// <summary>The original as the third part of a multipart/report.</summary>
    public static MimePart Part(CapturedMessage original, MimeMessage parsed, bool full) => full
        ? Raw("message", "rfc822", original.Raw.ToArray())
        : Raw("text", "rfc822-headers", parsed.Headers.Count == 0 ? [] : HeaderBlock(original));

    /// <summary>
    /// The header fields as captured, up to (not including) the empty line that ends them; the whole content when no
    /// empty line comes. Read from the start of the content only, so a large message on disk is not loaded.
    /// </summary>
    public static byte[] HeaderBlock(CapturedMessage original)
    {
        using var content = original.OpenContent();
        using var block = new MemoryStream();
        var lineLength = 0;
        int octet;
        while ((octet = content.ReadByte()) >= 0)
        {
            if (octet == '\n' && lineLength == 0)
            {
                // The empty line: drop the CR already copied (CRLF), keep nothing of it.
                if (block.Length > 0 && block.GetBuffer()[block.Length - 1] == '\r')
                {
                    block.SetLength(block.Length - 1);
                }

                break;
            }

            block.WriteByte((byte)octet);
            lineLength = octet == '\n' ? 0 : octet == '\r' ? lineLength : lineLength + 1;
        }

        return block.ToArray();
    }

    /// <summary>
    /// A part whose content is written as given. Octets above 127 (an SMTPUTF8 or 8BITMIME original) are declared with
    /// <c>Content-Transfer-Encoding: 8bit</c>, the only honest label a message/rfc822 part may carry for them (RFC 2046 §5.2.1).
    /// </summary>
    private static MimePart Raw(string mediaType, string subtype, byte[] content)
    {
        var eightBit = content.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)127) >= 0;
        var encoding = eightBit ? ContentEncoding.EightBit : ContentEncoding.Default;
        var part = new MimePart(mediaType, subtype) { Content = new MimeContent(new MemoryStream(content, writable: false), encoding) };
        if (eightBit)
        {
            part.ContentTransferEncoding = ContentEncoding.EightBit;
        }

        return part;
    }
}
