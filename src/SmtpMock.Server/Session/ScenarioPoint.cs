using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Session;

/// <summary>
/// Where in a session a scenario rule can act: every command verb (same numbers as <see cref="SmtpVerb"/>, so a new
/// verb is a point without touching this file), plus the greeting, the end of a message and "any command".
/// </summary>
public enum ScenarioPoint
{
    /// <summary>A command with an unrecognised verb (or an empty line).</summary>
    Unknown = SmtpVerb.Unknown,
    Ehlo = SmtpVerb.Ehlo,
    Helo = SmtpVerb.Helo,
    Mail = SmtpVerb.Mail,
    Rcpt = SmtpVerb.Rcpt,

    /// <summary>The DATA command, before 354.</summary>
    Data = SmtpVerb.Data,
    Bdat = SmtpVerb.Bdat,
    Rset = SmtpVerb.Rset,
    Noop = SmtpVerb.Noop,
    Quit = SmtpVerb.Quit,
    Vrfy = SmtpVerb.Vrfy,
    Expn = SmtpVerb.Expn,
    Help = SmtpVerb.Help,
    StartTls = SmtpVerb.StartTls,
    Auth = SmtpVerb.Auth,

    /// <summary>The greeting, before the client says anything.</summary>
    Connect = 32,

    /// <summary>After the final dot, or after the LAST BDAT chunk: the reply that accepts or refuses the message.</summary>
    Message = 33,

    /// <summary>Every command (not CONNECT or MESSAGE).</summary>
    Any = 34,
}

public static class ScenarioPoints
{
    /// <summary>The size of an array indexed by point.</summary>
    public const int Count = (int)ScenarioPoint.Any + 1;

    /// <summary>Every point, in the order documentation lists them.</summary>
    public static IReadOnlyList<ScenarioPoint> All { get; } =
    [
        ScenarioPoint.Connect,
        .. SmtpVerbs.Known.SelectMany(v => v == SmtpVerb.Data ? [Of(v), ScenarioPoint.Message] : new[] { Of(v) }),
        ScenarioPoint.Unknown,
        ScenarioPoint.Any,
    ];

    public static string Name(this ScenarioPoint point) => point switch
    {
        ScenarioPoint.Connect => "CONNECT",
        ScenarioPoint.Message => "MESSAGE",
        ScenarioPoint.Any => "ANY",
        _ => ((SmtpVerb)point).Keyword(),
    };

    public static bool TryParse(string text, out ScenarioPoint point)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase))
            {
                point = candidate;
                return true;
            }
        }

        point = default;
        return false;
    }

    /// <summary>The point a command verb reaches.</summary>
    public static ScenarioPoint Of(SmtpVerb verb) => (ScenarioPoint)verb;
}
