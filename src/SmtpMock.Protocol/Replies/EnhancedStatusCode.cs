namespace SmtpMock.Protocol.Replies;

/// <summary>RFC 3463 enhanced status codes: <c>class.subject.detail</c>.</summary>
internal static class EnhancedStatusCode
{
    /// <summary>True when <paramref name="value"/> is well formed (class 2, 4 or 5; subject 0-999; detail 0-999).</summary>
    public static bool IsWellFormed(string value)
    {
        // Checked for every reply made, so without splitting into strings.
        var rest = value.AsSpan();
        var first = rest.IndexOf('.');
        if (first != 1 || rest[0] is not ('2' or '4' or '5'))
        {
            return false;
        }

        rest = rest[2..];
        var second = rest.IndexOf('.');
        return second >= 0 && IsNumber(rest[..second]) && IsNumber(rest[(second + 1)..]);
    }

    /// <summary>Well formed and of the same class as the reply code's first digit (RFC 3463 §3).</summary>
    public static bool IsValidFor(int code, string value) =>
        IsWellFormed(value) && value[0] - '0' == code / 100;

    private static bool IsNumber(ReadOnlySpan<char> s) =>
        s.Length is >= 1 and <= 3 && !s.ContainsAnyExceptInRange('0', '9') && (s.Length == 1 || s[0] != '0');
}
