namespace SmtpMock.Protocol.Grammar;

/// <summary>
/// A reverse- or forward-path of RFC 5321 §4.1.2: the null path <c>&lt;&gt;</c>, or a mailbox with an optional
/// (obsolete, ignored but accepted) source route.
/// </summary>
public sealed record MailPath(string LocalPart, string Domain, string? SourceRoute)
{
    public static readonly MailPath Null = new(string.Empty, string.Empty, null);

    public bool IsNull => LocalPart.Length == 0 && Domain.Length == 0;

    /// <summary>The mailbox as <c>local@domain</c>; empty for the null path; <c>Postmaster</c> has no domain.</summary>
    public string Address => IsNull ? string.Empty : Domain.Length == 0 ? LocalPart : $"{LocalPart}@{Domain}";

    /// <summary>True when any part of the path is outside ASCII (needs SMTPUTF8, RFC 6531).</summary>
    public bool IsInternational =>
        !System.Text.Ascii.IsValid(LocalPart) || !System.Text.Ascii.IsValid(Domain);

    public override string ToString() => $"<{Address}>";
}

/// <summary>An ESMTP parameter such as <c>SIZE=1024</c> or <c>SMTPUTF8</c> (no value).</summary>
public sealed record EsmtpParameter(string Keyword, string? Value)
{
    public override string ToString() => Value is null ? Keyword : $"{Keyword}={Value}";
}
