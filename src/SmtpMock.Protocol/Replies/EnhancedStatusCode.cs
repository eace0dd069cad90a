namespace SmtpMock.Protocol.Replies;

/// <summary>RFC 3463 enhanced status codes: <c>class.subject.detail</c>.</summary>
public static class EnhancedStatusCode
{
    /// <summary>True when <paramref name="value"/> is well formed (class 2, 4 or 5; subject 0-999; detail 0-999).</summary>
    public static bool IsWellFormed(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 3
            && parts[0] is "2" or "4" or "5"
            && IsNumber(parts[1])
            && IsNumber(parts[2]);
    }

    /// <summary>Well formed and of the same class as the reply code's first digit (RFC 3463 §3).</summary>
    public static bool IsValidFor(int code, string value) =>
        IsWellFormed(value) && value[0] - '0' == code / 100;

    private static bool IsNumber(string s) =>
        s.Length is >= 1 and <= 3 && s.All(char.IsAsciiDigit) && (s.Length == 1 || s[0] != '0');
}
