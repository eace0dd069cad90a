namespace SmtpMock.Protocol.Auth;

/// <summary>
/// Keeps secrets out of transcripts and logs. A line is taken for what it is by its words, split on any whitespace
/// (space, tab), never on spaces alone: <c>AUTH PLAIN&lt;TAB&gt;secret</c>, <c>AUTH&lt;TAB&gt;PLAIN&lt;TAB&gt;secret</c> and
/// <c> AUTH PLAIN secret</c> (a leading space) all put the secret in a transcript once.
/// </summary>
internal static class AuthRedaction
{
    public const string Mask = "****";

    /// <summary>True when the first word of <paramref name="line"/> is AUTH, in any case, after any whitespace.</summary>
    public static bool IsAuthLine(string line)
    {
        // The first whitespace-separated word, as Words would give it, without splitting the line: every command comes here.
        var rest = line.AsSpan().TrimStart();
        return rest.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase) && (rest.Length == 4 || char.IsWhiteSpace(rest[4]));
    }

    /// <summary>
    /// An AUTH command line: the verb and a mechanism name kept, anything after them masked. A second word that is not a
    /// mechanism's name (a client that sent its credentials in its place) is masked too.
    /// </summary>
    public static string Command(string line)
    {
        var words = Words(line);
        return words.Length switch
        {
            0 => string.Empty,
            1 => words[0],
            2 when LooksLikeMechanism(words[1]) => $"{words[0]} {words[1]}",
            _ when LooksLikeMechanism(words[1]) => $"{words[0]} {words[1]} {Mask}",
            _ => $"{words[0]} {Mask}",
        };
    }

    /// <summary>A line sent in answer to a 334: masked, except the cancel line <c>*</c>, which carries no secret.</summary>
    public static string Continuation(string line) => line == "*" ? line : Mask;

    /// <summary>
    /// A line that can only be a credential: one word of base64. A client whose AUTH was refused (a 538 for LOGIN
    /// before TLS, say) may still send its user name and password as if it had been asked.
    /// </summary>
    public static bool LooksLikeCredential(string line)
    {
        var text = line.AsSpan().Trim();
        return text.Length > 0 && !text.ContainsAnyExcept(Base64Characters);
    }

    private static readonly System.Buffers.SearchValues<char> Base64Characters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    /// <summary>
    /// SASL mechanism names (RFC 4422 §3.1): 1 to 20 of A-Z, 0-9, '-' and '_' (lower case too, as some clients send
    /// them); a word mixing cases is base64, not a name.
    /// </summary>
    private static bool LooksLikeMechanism(string word) =>
        word.Length is >= 1 and <= 20
        && word.All(c => char.IsAsciiLetter(c) || char.IsAsciiDigit(c) || c is '-' or '_')
        && !(word.Any(char.IsAsciiLetterUpper) && word.Any(char.IsAsciiLetterLower));

    private static string[] Words(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
