namespace SmtpMock.Protocol.Grammar;

/// <summary>
/// A command line as the server understood it. The verb is recognised before the argument is parsed, so a
/// command with a bad argument is still a command of that verb (with <see cref="ParseResult.Error"/> set).
/// </summary>
internal sealed record SmtpCommand(SmtpVerb Verb, string VerbText, string Argument)
{
    /// <summary>The EHLO/HELO domain or address literal.</summary>
    public string? Domain { get; init; }

    /// <summary>MAIL's reverse-path or RCPT's forward-path.</summary>
    public MailPath? Path { get; init; }

    /// <summary>ESMTP parameters of MAIL and RCPT, in the order given.</summary>
    public IReadOnlyList<EsmtpParameter> Parameters { get; init; } = [];

    /// <summary>BDAT's chunk size in octets.</summary>
    public long ChunkSize { get; init; }

    /// <summary>BDAT's LAST flag.</summary>
    public bool IsLastChunk { get; init; }

    /// <summary>The value of a parameter by keyword (case-insensitive), or null when absent.</summary>
    public EsmtpParameter? Parameter(string keyword) =>
        Parameters.FirstOrDefault(p => p.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Argument.Length == 0 ? VerbText : $"{VerbText} {Argument}";
}
