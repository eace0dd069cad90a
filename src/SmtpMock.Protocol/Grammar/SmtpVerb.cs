namespace SmtpMock.Protocol.Grammar;

/// <summary>
/// Every verb the server knows, in one place. An unrecognised verb is still a command (<see cref="Unknown"/>)
/// so that the state table, scenarios and the transcript all see it.
/// </summary>
public enum SmtpVerb
{
    Unknown,
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,
}

internal static class SmtpVerbs
{
    /// <summary>Every verb, in the order HELP lists them (and scenario documentation).</summary>
    public static readonly IReadOnlyList<SmtpVerb> Known =
    [
        SmtpVerb.Ehlo, SmtpVerb.Helo, SmtpVerb.Mail, SmtpVerb.Rcpt, SmtpVerb.Data, SmtpVerb.Bdat, SmtpVerb.Rset,
        SmtpVerb.Noop, SmtpVerb.Quit, SmtpVerb.Vrfy, SmtpVerb.Expn, SmtpVerb.Help, SmtpVerb.StartTls, SmtpVerb.Auth,
    ];

    private static readonly string[] Keywords = Enum.GetValues<SmtpVerb>()
        .Select(v => v switch
        {
            SmtpVerb.StartTls => "STARTTLS",
            SmtpVerb.Unknown => "UNKNOWN",
            _ => v.ToString().ToUpperInvariant(),
        })
        .ToArray();

    /// <summary>The verb as it is written on the wire.</summary>
    public static string Keyword(this SmtpVerb verb) => Keywords[(int)verb];

    /// <summary>Recognises a verb by its ASCII keyword, ignoring case.</summary>
    public static SmtpVerb Recognise(ReadOnlySpan<byte> keyword)
    {
        if (keyword.Length is < 4 or > 8)
        {
            return SmtpVerb.Unknown;
        }

        for (var i = 1; i < Keywords.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(keyword, Keywords[i]))
            {
                return (SmtpVerb)i;
            }
        }

        return SmtpVerb.Unknown;
    }
}
