using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Server.Relay;

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

    /// <summary>
    /// Certificates trusted as roots for this relay besides the system's (<c>--relay-ca FILE</c>): a development relay's
    /// self-signed certificate is accepted without turning checks off; its name must still match.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
