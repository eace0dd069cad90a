using System.Globalization;
using System.Text;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// What the original transaction asked of DSNs (RFC 3461): ENVID and RET on MAIL, ORCPT and NOTIFY on RCPT. A client
/// sends ENVID and ORCPT as xtext (§4); the DSN carries them decoded, so a bounce processor finds the values it sent.
/// </summary>
internal static class DsnParameters
{
    /// <summary>The decoded ENVID, or null when MAIL had none.</summary>
    public static string? EnvelopeId(CapturedMessage original) =>
        Find(original.SenderParameters, "ENVID") is { Length: > 0 } envid ? DecodeXtext(envid) : null;

    /// <summary>RET=FULL: true; RET=HDRS: false; no RET: null (the DSN's sender chooses, RFC 3461 §4.3).</summary>
    public static bool? ReturnFull(CapturedMessage original) => Find(original.SenderParameters, "RET") switch
    {
        { } ret when ret.Equals("FULL", StringComparison.OrdinalIgnoreCase) => true,
        { } ret when ret.Equals("HDRS", StringComparison.OrdinalIgnoreCase) => false,
        _ => null,
    };

    /// <summary>ORCPT as a DSN field value (<c>rfc822; bob@example.com</c>), or null when RCPT had none (RFC 3464 §2.3.1).</summary>
    public static string? OriginalRecipient(Recipient recipient)
    {
        if (Find(recipient.Parameters, "ORCPT") is not { } orcpt)
        {
            return null;
        }

        var semicolon = orcpt.IndexOf(';', StringComparison.Ordinal);
        return semicolon <= 0
            ? DecodeXtext(orcpt)
            : $"{orcpt[..semicolon].Trim()}; {DecodeXtext(orcpt[(semicolon + 1)..].Trim())}";
    }

    /// <summary>
    /// Whether the client wants a DSN of this kind for <paramref name="recipient"/> (RFC 3461 §4.1): NOTIFY=NEVER wants
    /// none, a list wants only what it names; without NOTIFY both failures and delays are reported.
    /// </summary>
    public static bool Wants(Recipient recipient, bool failure)
    {
        if (Find(recipient.Parameters, "NOTIFY") is not { } notify)
        {
            return true;
        }

        var wanted = failure ? "FAILURE" : "DELAY";
        return notify.Split(',', StringSplitOptions.TrimEntries).Any(word => word.Equals(wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// RFC 3461 §4: <c>+XX</c> stands for the octet with that hex value. A <c>+</c> not followed by two hex digits is
    /// kept as it is: the text came from a client and a malformed one still gets its DSN.
    /// </summary>
    public static string DecodeXtext(string xtext)
    {
        if (!xtext.Contains('+', StringComparison.Ordinal))
        {
            return xtext;
        }

        var text = new StringBuilder(xtext.Length);
        var octets = new List<byte>();
        for (var i = 0; i < xtext.Length; i++)
        {
            if (xtext[i] == '+' && i + 2 < xtext.Length
                && byte.TryParse(xtext.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var octet))
            {
                octets.Add(octet);
                i += 2;
                continue;
            }

            Flush(text, octets);
            text.Append(xtext[i]);
        }

        Flush(text, octets);
        return text.ToString();
    }

    /// <summary>Octets decoded in a row make UTF-8 together (one character can take several <c>+XX</c>).</summary>
    private static void Flush(StringBuilder text, List<byte> octets)
    {
        if (octets.Count > 0)
        {
            text.Append(Encoding.UTF8.GetString([.. octets]));
            octets.Clear();
        }
    }

    private static string? Find(IReadOnlyList<EsmtpParameter> parameters, string keyword) =>
        parameters.FirstOrDefault(p => p.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase))?.Value;
}
