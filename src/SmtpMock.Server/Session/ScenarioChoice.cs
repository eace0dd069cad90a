using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// How one session asks for a loaded scenario of its own on a server many tests share: an EHLO name
/// <c>NAME.scenario.smtpmock.test</c>, or an AUTH user <c>scenario=NAME</c> (any password). The server's active
/// scenario stays as it is for every other session.
/// </summary>
internal static class ScenarioChoice
{
    public const string HeloSuffix = ".scenario.smtpmock.test";
    public const string UserPrefix = "scenario=";

    /// <summary>The scenario an EHLO or HELO name asks for, or null.</summary>
    public static string? FromHelo(string? domain) =>
        domain is { Length: > 0 } && domain.EndsWith(HeloSuffix, StringComparison.OrdinalIgnoreCase) && domain.Length > HeloSuffix.Length
            ? domain[..^HeloSuffix.Length]
            : null;

    /// <summary>The scenario an AUTH user name asks for, or null.</summary>
    public static string? FromUser(string? user) =>
        user is { Length: > 0 } && user.StartsWith(UserPrefix, StringComparison.OrdinalIgnoreCase) && user.Length > UserPrefix.Length
            ? user[UserPrefix.Length..]
            : null;

    /// <summary>The reply to an EHLO that names a scenario no file loaded: the client's mistake, said plainly.</summary>
    public static SmtpReply Unknown(string name) =>
        StandardReplies.NoSuchScenario(name.Length <= 60 ? name : name[..60] + "...");
}
