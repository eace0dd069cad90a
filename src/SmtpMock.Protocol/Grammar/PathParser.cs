using System.Net;
using System.Net.Sockets;

namespace SmtpMock.Protocol.Grammar;

/// <summary>
/// RFC 5321 §4.1.2 path grammar (with RFC 6531's UTF-8 in local parts and domains):
/// <c>"&lt;" [ A-d-l ":" ] Mailbox "&gt;"</c>, quoted local parts, address literals, the null path.
/// </summary>
internal static class PathParser
{
    public const int MaxLocalPart = 64;
    public const int MaxDomain = 255;
    public const int MaxPath = 256;

    /// <summary>
    /// Parses a path at the start of <paramref name="text"/>. On success <paramref name="length"/> is how many
    /// characters it took; on failure <paramref name="error"/> says why, in words fit for a reply.
    /// </summary>
    public static bool TryParse(
        string text, bool allowNull, bool allowPostmaster, out MailPath path, out int length, out string error)
    {
        path = MailPath.Null;
        length = 0;
        error = string.Empty;
        if (text.Length == 0 || text[0] != '<')
        {
            error = "address must be enclosed in <>";
            return false;
        }

        var close = FindClose(text);
        if (close < 0)
        {
            error = "missing closing >";
            return false;
        }

        length = close + 1;
        if (System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > MaxPath)
        {
            error = $"path longer than {MaxPath} octets";
            return false;
        }

        var inner = text[1..close];
        if (inner.Length == 0)
        {
            if (allowNull)
            {
                return true;
            }

            error = "empty address";
            return false;
        }

        string? route = null;
        if (inner[0] == '@')
        {
            var colon = inner.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                error = "source route without ':'";
                return false;
            }

            route = inner[..colon];
            foreach (var hop in route.Split(','))
            {
                if (hop.Length < 2 || hop[0] != '@' || !IsDomain(hop[1..]))
                {
                    error = $"bad source route '{route}'";
                    return false;
                }
            }

            inner = inner[(colon + 1)..];
        }

        if (allowPostmaster && route is null && inner.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
        {
            path = new MailPath(inner, string.Empty, null);
            return true;
        }

        if (!TryParseMailbox(inner, out var local, out var domain, out error))
        {
            return false;
        }

        path = new MailPath(local, domain, route);
        return true;
    }

    private static int FindClose(string text)
    {
        var quoted = false;
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '>')
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryParseMailbox(string mailbox, out string local, out string domain, out string error)
    {
        local = domain = string.Empty;
        int at;
        if (mailbox.StartsWith('"'))
        {
            var end = QuotedStringEnd(mailbox);
            if (end < 0)
            {
                error = "bad quoted local part";
                return false;
            }

            at = end + 1;
            if (at >= mailbox.Length || mailbox[at] != '@')
            {
                error = "missing @domain";
                return false;
            }
        }
        else
        {
            at = mailbox.LastIndexOf('@');
            if (at < 0)
            {
                error = "missing @domain";
                return false;
            }

            if (!IsDotString(mailbox.AsSpan(0, at)))
            {
                error = at == 0 ? "empty local part" : "bad local part";
                return false;
            }
        }

        local = mailbox[..at];
        domain = mailbox[(at + 1)..];
        if (System.Text.Encoding.UTF8.GetByteCount(local) > MaxLocalPart)
        {
            error = $"local part longer than {MaxLocalPart} octets";
            return false;
        }

        if (domain.Length == 0)
        {
            error = "empty domain";
            return false;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(domain) > MaxDomain)
        {
            error = $"domain longer than {MaxDomain} octets";
            return false;
        }

        if (domain[0] == '[' ? !IsAddressLiteral(domain) : !IsDomain(domain))
        {
            error = $"bad domain '{domain}'";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static int QuotedStringEnd(string s)
    {
        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                if (i + 1 >= s.Length || s[i + 1] < 32 || s[i + 1] == 127)
                {
                    return -1;
                }

                i++;
            }
            else if (c == '"')
            {
                return i;
            }
            else if (c < 32 || c == 127)
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>Dot-string = Atom *("." Atom); atext as RFC 5322 plus UTF-8 (RFC 6531).</summary>
    private static bool IsDotString(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || s[0] == '.' || s[^1] == '.')
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '.')
            {
                if (s[i - 1] == '.')
                {
                    return false;
                }
            }
            else if (!IsAtext(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c) || c > 127;

    /// <summary>Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str], or a U-label.</summary>
    public static bool IsDomain(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        // Checked for every MAIL and RCPT, so label by label without splitting into strings.
        var span = s.AsSpan();
        foreach (var range in span.Split('.'))
        {
            var label = span[range];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c > 127))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>address-literal: <c>[1.2.3.4]</c>, <c>[IPv6:...]</c> or a general <c>[tag:content]</c>.</summary>
    public static bool IsAddressLiteral(string s)
    {
        if (s.Length < 3 || s[0] != '[' || s[^1] != ']')
        {
            return false;
        }

        var inner = s[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.TryParse(inner[5..], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var colon = inner.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            var parts = inner.Split('.');
            return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
        }

        var tag = inner[..colon];
        var content = inner[(colon + 1)..];
        return tag.Length > 0 && IsDomain(tag) && content.Length > 0
            && content.All(c => c is >= (char)33 and <= (char)126 && c is not '[' and not ']' and not '\\');
    }
}
