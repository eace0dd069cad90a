using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Scenarios;

/// <summary>Where in a session a scenario rule can act.</summary>
public enum ScenarioPoint
{
    /// <summary>The greeting, before the client says anything.</summary>
    Connect,
    Ehlo,
    Helo,
    Mail,
    Rcpt,

    /// <summary>The DATA command, before 354.</summary>
    Data,

    /// <summary>After the final dot, or after the LAST BDAT chunk: the reply that accepts or refuses the message.</summary>
    Message,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,

    /// <summary>A command with an unrecognised verb (or an empty line).</summary>
    Unknown,

    /// <summary>Every command (not CONNECT or MESSAGE).</summary>
    Any,
}

public static class ScenarioPoints
{
    public const int Count = (int)ScenarioPoint.Any + 1;

    public static string Name(this ScenarioPoint point) => point.ToString().ToUpperInvariant();

    public static bool TryParse(string text, out ScenarioPoint point)
    {
        foreach (var candidate in Enum.GetValues<ScenarioPoint>())
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
    public static ScenarioPoint Of(SmtpVerb verb) => verb switch
    {
        SmtpVerb.Ehlo => ScenarioPoint.Ehlo,
        SmtpVerb.Helo => ScenarioPoint.Helo,
        SmtpVerb.Mail => ScenarioPoint.Mail,
        SmtpVerb.Rcpt => ScenarioPoint.Rcpt,
        SmtpVerb.Data => ScenarioPoint.Data,
        SmtpVerb.Bdat => ScenarioPoint.Bdat,
        SmtpVerb.Rset => ScenarioPoint.Rset,
        SmtpVerb.Noop => ScenarioPoint.Noop,
        SmtpVerb.Quit => ScenarioPoint.Quit,
        SmtpVerb.Vrfy => ScenarioPoint.Vrfy,
        SmtpVerb.Expn => ScenarioPoint.Expn,
        SmtpVerb.Help => ScenarioPoint.Help,
        SmtpVerb.StartTls => ScenarioPoint.StartTls,
        SmtpVerb.Auth => ScenarioPoint.Auth,
        _ => ScenarioPoint.Unknown,
    };
}
