namespace SmtpMock.Protocol.Auth;

/// <summary>
/// What a transcript or log records for AUTH lines, so that no password, token or digest is ever kept (issue 11):
/// the command keeps its verb and mechanism (<c>AUTH PLAIN ****</c>), a continuation line becomes <c>****</c>.
/// </summary>
public static class AuthRedaction
{
    public const string Mask = "****";

    /// <summary>An AUTH command line: verb and mechanism kept, any initial response masked.</summary>
    public static string Command(string line)
    {
        var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            <= 2 => string.Join(' ', parts),
            _ => $"{parts[0]} {parts[1]} {Mask}",
        };
    }

    /// <summary>A line sent in answer to a 334: masked, except the cancel line <c>*</c>, which carries no secret.</summary>
    public static string Continuation(string line) => line == "*" ? line : Mask;
}
