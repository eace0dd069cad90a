namespace SmtpMock.EndToEnd.Tests.Clients.Matrix;

/// <summary>
/// What one run of an outside client sends: the envelope, how many messages on one connection, STARTTLS and a login,
/// the body's length in lines, and the client's own timeout. Each runner turns it into that client's options.
/// </summary>
internal sealed record ClientRequest(string From, IReadOnlyList<string> To)
{
    public int Messages { get; init; } = 1;

    public bool StartTls { get; init; }

    public string? User { get; init; }

    /// <summary>The name the client says in EHLO/HELO; null for the runner's own (python.test, node.test, swaks.test, curl.test).</summary>
    public string? Helo { get; init; }

    public int BodyLines { get; init; } = 1;

    public int TimeoutSeconds { get; init; } = 20;

    public static ClientRequest Sending(params string[] recipients) => new(ClientScenarios.Sender, recipients);
}

/// <summary>
/// What a client reported, in a few words of its own vocabulary (<see cref="Verdict"/>: smtplib's exception class,
/// nodemailer's error code and command, swaks's or curl's exit status, each with the reply code and enhanced code the
/// client carried), and every reply line it read (<see cref="Heard"/>, from the client's own log or trace).
/// </summary>
internal sealed record ClientReport(string Verdict, IReadOnlyList<string> Heard, string Raw)
{
    public override string ToString() => $"{Verdict}; raw: {Raw}";
}
