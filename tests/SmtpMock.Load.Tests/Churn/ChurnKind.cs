namespace SmtpMock.Load.Tests.Churn;

/// <summary>What one churn session does; session <c>i</c> is of kind <see cref="ChurnKinds.Of"/>(i).</summary>
internal enum ChurnKind
{
    /// <summary>EHLO, MAIL, RCPT, DATA one at a time, the content, QUIT.</summary>
    Plain,

    /// <summary>MAIL, RCPT and DATA in one write (PIPELINING), the content, QUIT.</summary>
    Pipelined,

    /// <summary>Three pipelined transactions on one connection, RSET after a refused one.</summary>
    SeveralMessages,

    /// <summary>MAIL, RCPT, a BDAT chunk and a BDAT LAST chunk in one write (CHUNKING).</summary>
    Bdat,

    /// <summary>MailKit over STARTTLS, the server's certificate checked.</summary>
    StartTls,

    /// <summary>MailKit over STARTTLS with AUTH (PLAIN).</summary>
    AuthOverTls,

    /// <summary>MailKit without TLS, with AUTH (CRAM-MD5, the one mechanism offered before TLS).</summary>
    AuthPlaintext,

    /// <summary>Half the content after 354, then a reset (RST).</summary>
    ResetMidData,

    /// <summary>Half the content after 354, then the client closes its side (FIN).</summary>
    QuitMidData,
}

internal static class ChurnKinds
{
    private static readonly ChurnKind[] Cycle =
    [
        ChurnKind.Plain, ChurnKind.Pipelined, ChurnKind.SeveralMessages, ChurnKind.Bdat, ChurnKind.StartTls,
        ChurnKind.AuthOverTls, ChurnKind.AuthPlaintext, ChurnKind.ResetMidData, ChurnKind.QuitMidData, ChurnKind.Plain,
    ];

    public static ChurnKind Of(int session) => Cycle[session % Cycle.Length];

    public static bool UsesMailKit(this ChurnKind kind) => kind is ChurnKind.StartTls or ChurnKind.AuthOverTls or ChurnKind.AuthPlaintext;
}
