using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace SmtpMock.Protocol.Auth;

/// <summary>Decoding of client responses: strict base64 (RFC 4954 §4) and each mechanism's message format.</summary>
internal static class SaslResponses
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Base64 as RFC 4648 §4 writes it: no whitespace, padding only at the end, length a multiple of 4.</summary>
    public static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 != 0 || text.AsSpan().ContainsAny(" \t\r\n") || !Base64.IsValid(text))
        {
            return false;
        }

        bytes = Convert.FromBase64String(text);
        return true;
    }

    public static bool TryUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }

    /// <summary>RFC 4616 §2: <c>[authzid] NUL authcid NUL passwd</c>, authcid and passwd not empty.</summary>
    public static AuthCredential? Plain(byte[] message)
    {
        var first = Array.IndexOf(message, (byte)0);
        var second = first < 0 ? -1 : Array.IndexOf(message, (byte)0, first + 1);
        if (second < 0 || Array.IndexOf(message, (byte)0, second + 1) >= 0
            || second == first + 1 || second == message.Length - 1
            || !TryUtf8(message.AsSpan(0, first), out var authzid)
            || !TryUtf8(message.AsSpan(first + 1, second - first - 1), out var user)
            || !TryUtf8(message.AsSpan(second + 1), out _))
        {
            return null;
        }

        return new AuthCredential(SaslMechanism.Plain, user, authzid, message[(second + 1)..]);
    }

    /// <summary>RFC 2195 §2: <c>user SP digest</c>, the digest 32 lowercase hex digits (upper case accepted).</summary>
    public static AuthCredential? CramMd5(byte[] message, string challenge)
    {
        if (!TryUtf8(message, out var text))
        {
            return null;
        }

        var space = text.LastIndexOf(' ');
        if (space < 1 || text.Length - space - 1 != 32 || text.AsSpan(space + 1).ContainsAnyExcept(HexDigits))
        {
            return null;
        }

        var digest = Encoding.ASCII.GetBytes(text[(space + 1)..].ToLowerInvariant());
        return new AuthCredential(SaslMechanism.CramMd5, text[..space], null, digest, challenge);
    }

    /// <summary>XOAUTH2: <c>user=U ^A auth=Bearer T ^A ^A</c> (fields in any order).</summary>
    public static AuthCredential? XOAuth2(byte[] message)
    {
        if (!TryUtf8(message, out var text) || !text.EndsWith("\x01\x01", StringComparison.Ordinal))
        {
            return null;
        }

        string? user = null;
        string? token = null;
        foreach (var field in text[..^2].Split('\x01'))
        {
            if (field.StartsWith("user=", StringComparison.Ordinal))
            {
                user = field[5..];
            }
            else if (field.StartsWith("auth=", StringComparison.Ordinal))
            {
                var auth = field[5..];
                token = auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
            }
        }

        return string.IsNullOrEmpty(user) || string.IsNullOrEmpty(token)
            ? null
            : new AuthCredential(SaslMechanism.XOAuth2, user, null, Encoding.UTF8.GetBytes(token));
    }
}
