using MailKit.Net.Smtp;

namespace SmtpMock.Server.Relay;

/// <summary>
/// What a relay would have to change in captured content to carry it. NUL bytes and lines over 998 octets cross SMTP
/// only with BINARYMIME; without it MailKit turns such a part into base64, a different message than the one captured,
/// so a release refuses it and says why. 8-bit text to a relay without 8BITMIME is converted to quoted-printable as
/// every MTA does (RFC 6152 §3): the same text, in a form the relay takes.
/// </summary>
internal readonly record struct ContentLimits(bool HasNul, bool HasLongLine)
{
    /// <summary>RFC 5322 §2.1.1: 998 characters a line, without the CRLF.</summary>
    private const int MaxLine = 998;

    /// <summary>Reads the content once.</summary>
    public static ContentLimits Of(Stream content)
    {
        var buffer = new byte[64 * 1024];
        bool nul = false, longLine = false;
        var line = 0;
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                nul |= b == 0;
                if (b == (byte)'\n')
                {
                    line = 0;
                }
                else if (b != (byte)'\r' && ++line > MaxLine)
                {
                    longLine = true;
                }
            }
        }

        return new ContentLimits(nul, longLine);
    }

    /// <summary>Why this relay cannot carry the content unchanged, or null when it can.</summary>
    public string? Problem(SmtpCapabilities relay)
    {
        if (relay.HasFlag(SmtpCapabilities.BinaryMime) && relay.HasFlag(SmtpCapabilities.Chunking))
        {
            return null;
        }

        return HasNul ? "the message has NUL bytes, which SMTP carries unchanged only with BINARYMIME, and the relay does not offer it (it would be re-encoded as base64)"
            : HasLongLine ? "the message has a line over 998 octets, which SMTP carries unchanged only with BINARYMIME, and the relay does not offer it (it would be re-encoded)"
            : null;
    }
}
