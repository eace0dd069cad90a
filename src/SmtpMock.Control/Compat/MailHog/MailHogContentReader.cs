using System.Text;
using MimeKit;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// Splits content as MailHog's <c>ContentFromString</c> and <c>ParseMIMEBody</c> do, quirks kept because clients read
/// them: headers end at the first blank line; a folded line is appended as it is (leading whitespace kept) to the last
/// header; a line is a header only if it holds <c>": "</c>; a repeated key keeps its last value; a multipart body is
/// split on <c>--boundary</c> and every non-empty piece, CR and LF trimmed from both ends, becomes a part (so the
/// preamble, when there is one, and the closing <c>--</c> are parts too). Only the exact key <c>Content-Type</c> with a
/// value starting <c>multipart/</c> makes a multipart. The text is the content's octets one char each (Latin-1), so
/// every length is a length in octets, as Go's; <see cref="Text"/> turns a piece back into what Go writes.
/// </summary>
internal static class MailHogContentReader
{
    /// <summary>The content <paramref name="data"/> (octets as Latin-1 chars) split into headers and body, its parts read when it is multipart.</summary>
    public static MailHogContent Read(string data, bool withParts)
    {
        var (headers, body) = Split(data);
        var mime = withParts && IsMultipart(headers) ? Parts(headers, body) : null;
        return new MailHogContent(headers, Text(body), data.Length, mime);
    }

    /// <summary>The top-level <c>MIME</c> of a message: its parts when its headers say multipart, else null.</summary>
    public static MailHogMime? MimeOf(string data)
    {
        var (headers, body) = Split(data);
        return IsMultipart(headers) ? Parts(headers, body) : null;
    }

    /// <summary>Octets read as Latin-1 turned into the string Go would write: UTF-8, an invalid sequence as U+FFFD.</summary>
    public static string Text(string octets) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(octets));

    /// <summary>Headers (values still as Latin-1 octets are turned into text) and the body, at the first CRLF CRLF.</summary>
    private static (SortedDictionary<string, List<string>> Headers, string Body) Split(string data)
    {
        var headers = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var end = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return (headers, data);
        }

        string? last = null;
        foreach (var line in data[..end].Split("\r\n"))
        {
            if (last is not null && (line.StartsWith(' ') || line.StartsWith('\t')))
            {
                var values = headers[last];
                values[^1] += Text(line);
            }
            else if (line.IndexOf(": ", StringComparison.Ordinal) is var colon and >= 0)
            {
                last = Text(line[..colon]);
                headers[last] = [Text(line[(colon + 2)..])];
            }
        }

        return (headers, data[(end + 4)..]);
    }

    private static bool IsMultipart(SortedDictionary<string, List<string>> headers) =>
        headers.TryGetValue("Content-Type", out var type) && type[0].StartsWith("multipart/", StringComparison.Ordinal);

    private static MailHogMime Parts(SortedDictionary<string, List<string>> headers, string body)
    {
        if (!ContentType.TryParse(headers["Content-Type"][0], out var type) || type.Boundary is not { Length: > 0 } boundary)
        {
            return new MailHogMime(null);
        }

        var parts = new List<MailHogContent>();
        foreach (var piece in body.Split("--" + boundary))
        {
            if (piece.Length > 0)
            {
                parts.Add(Read(piece.Trim('\r', '\n'), withParts: true));
            }
        }

        return new MailHogMime(parts);
    }
}
