using System.Text;

namespace SmtpMock.Protocol.Replies;

/// <summary>
/// One SMTP reply: a code, an optional enhanced status code and one or more text lines.
/// It is a value so that the default responder, a scenario and the transcript can all hold it,
/// while only <see cref="ReplyWriter"/> formats and writes it (its wire form is made once and shared).
/// </summary>
public sealed class SmtpReply : IEquatable<SmtpReply>
{
    /// <summary>RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets including CRLF.</summary>
    public const int MaxLineOctets = 512;

    public SmtpReply(int code, string? enhanced, params IReadOnlyList<string> lines)
    {
        if (code is < 200 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "A reply code is 200 to 599.");
        }

        if (enhanced is not null && !EnhancedStatusCode.IsValidFor(code, enhanced))
        {
            throw new ArgumentException($"Enhanced code '{enhanced}' does not fit reply code {code}.", nameof(enhanced));
        }

        if (lines.Count == 0)
        {
            lines = [string.Empty];
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException("A reply line cannot contain CR or LF.", nameof(lines));
            }

            if (LineOctets(enhanced, line) > MaxLineOctets)
            {
                throw new ArgumentException($"Reply line is over {MaxLineOctets} octets: '{line}'.", nameof(lines));
            }
        }

        Code = code;
        Enhanced = enhanced;
        Lines = lines;
    }

    private string[]? _wireLines;
    private byte[]? _wireBytes;

    public int Code { get; }

    /// <summary>The RFC 3463 code such as <c>5.5.1</c>, or null (greeting, EHLO/HELO, 354).</summary>
    public string? Enhanced { get; }

    public IReadOnlyList<string> Lines { get; }

    public bool IsPositive => Code < 400;

    /// <summary>The reply's lines as they go on the wire, without CRLF (made once: most replies are shared).</summary>
    public IReadOnlyList<string> WireLines => _wireLines ??= ReplyWriter.FormatLines(this);

    /// <summary>The reply's bytes on the wire, CRLF included (made once).</summary>
    public ReadOnlyMemory<byte> WireBytes => _wireBytes ??= ReplyWriter.FormatBytes(WireLines);

    public bool IsPositiveCompletion => Code is >= 200 and < 300;

    /// <summary>How many octets one line of this reply takes on the wire, CRLF included.</summary>
    public static int LineOctets(string? enhanced, string text) =>
        4 + (enhanced is null ? 0 : enhanced.Length + 1) + Encoding.UTF8.GetByteCount(text) + 2;

    /// <summary>The reply as it goes on the wire, lines joined by CRLF (no final CRLF).</summary>
    public override string ToString() => string.Join("\r\n", WireLines);

    public bool Equals(SmtpReply? other) =>
        other is not null && Code == other.Code && Enhanced == other.Enhanced && Lines.SequenceEqual(other.Lines);

    public override bool Equals(object? obj) => Equals(obj as SmtpReply);

    public override int GetHashCode() => HashCode.Combine(Code, Enhanced, Lines.Count > 0 ? Lines[0] : null);
}
