namespace SmtpMock.Control.Hosting;

/// <summary>
/// The one SMTP server captured messages can be released to (Mailpit's "release", smtp4dev's "relay"). It is named at
/// start, never by a request, so the HTTP side cannot be made to send mail anywhere else. TLS on connect for 465,
/// STARTTLS when offered otherwise, and required before a login unless <see cref="AcceptAnyCertificate"/>.
/// </summary>
public sealed record RelayTarget(string Host, int Port)
{
    /// <summary>The login, when the relay asks for one.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>A test server taken as it is: any certificate accepted, and a login sent without TLS when it offers none.</summary>
    public bool AcceptAnyCertificate { get; init; }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
