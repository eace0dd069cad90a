using System.CommandLine;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Security;

namespace SmtpMock.Cli.Commands.Send;

/// <summary>What <c>send</c> does about TLS and its certificate: the flags, checked, turned into MailKit settings.</summary>
internal static class SendSecurity
{
    /// <summary>A usage problem with the TLS and login flags, or null.</summary>
    public static string? Problem(ParseResult parse)
    {
        var trust = parse.GetValue(SendCommand.TrustCert);
        return parse.GetValue(SendCommand.StartTls) && parse.GetValue(SendCommand.Tls) ? "--starttls and --tls exclude each other: --starttls upgrades a plain connection, --tls starts encrypted"
            : trust is not null && parse.GetValue(SendCommand.Insecure) ? "--trust-cert and --insecure exclude each other"
            : trust is not null && !trust.Exists ? $"--trust-cert {trust.FullName}: no such file"
            : trust is not null && !IsPemCertificate(trust) ? $"--trust-cert {trust.FullName} is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
            : parse.GetValue(SendCommand.Password) is not null && parse.GetValue(SendCommand.User) is null ? "--password needs --user"
            : null;
    }

    private static bool IsPemCertificate(FileInfo file)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(file.FullName));
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    public static SecureSocketOptions Socket(ParseResult parse) =>
        parse.GetValue(SendCommand.Tls) ? SecureSocketOptions.SslOnConnect
        : parse.GetValue(SendCommand.StartTls) ? SecureSocketOptions.StartTls
        : SecureSocketOptions.None;

    /// <summary>The system's checks, or exactly the given certificate (pinned), or none with --insecure.</summary>
    public static RemoteCertificateValidationCallback? CertificateCheck(ParseResult parse)
    {
        if (parse.GetValue(SendCommand.Insecure))
        {
            return (_, _, _, _) => true;
        }

        if (parse.GetValue(SendCommand.TrustCert) is not { } file)
        {
            return null;
        }

        using var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(file.FullName));
        var pinned = trusted.RawData;
        return (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned);
    }
}
