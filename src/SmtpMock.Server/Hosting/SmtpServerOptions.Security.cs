using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Server.Hosting;

/// <summary>STARTTLS, implicit TLS and AUTH settings (issue 11): on by default, like the servers an app really uses.</summary>
public sealed partial record SmtpServerOptions
{
    /// <summary>Offer STARTTLS (RFC 3207). With no <see cref="TlsCertificate"/> one is generated for <see cref="Hostname"/>.</summary>
    public bool EnableTls { get; init; } = true;

    /// <summary>The server certificate with its private key, or null for a generated one (ECDSA P-256, about 10 ms).</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>
    /// Where a generated certificate is kept and reused on the next start (<c>NAME.pem</c>, 0600), so an exported PEM stays
    /// valid across restarts; null: generated in memory for each server (what a test fixture wants).
    /// </summary>
    public string? TlsCertificateFolder { get; init; }

    /// <summary>MAIL, RCPT, DATA, BDAT and AUTH before STARTTLS get 530 5.7.0.</summary>
    public bool RequireTls { get; init; }

    /// <summary>A second listener, on the same address, where TLS starts on connect (RFC 8314, e.g. 465); 0 picks a port.</summary>
    public int? ImplicitTlsPort { get; init; }

    /// <summary>Offer AUTH (RFC 4954). With no <see cref="AuthUsers"/> any well-formed credentials are accepted.</summary>
    public bool EnableAuth { get; init; } = true;

    /// <summary>Offer PLAIN, LOGIN and XOAUTH2 before TLS too (otherwise they get 538 5.7.11 there).</summary>
    public bool AllowPlaintextAuth { get; init; }

    /// <summary>User name to password; a configured user must give the right password.</summary>
    public IReadOnlyDictionary<string, string> AuthUsers { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether users not in <see cref="AuthUsers"/> get in; null: only when no users are configured.</summary>
    public bool? AuthAcceptAny { get; init; }

    /// <summary>MAIL before a successful AUTH gets 530 5.7.0 Authentication required.</summary>
    public bool AuthRequired { get; init; }

    /// <summary>
    /// The default of <see cref="MaxAuthFailures"/>: Postfix's <c>smtpd_hard_error_limit</c>, past which it drops a
    /// client whatever its errors were. A lower limit hurt real clients: Python's smtplib <c>login()</c> tries
    /// CRAM-MD5, PLAIN and LOGIN in one call, so one wrong password cost three failures and reached the app as a 421
    /// (temporary: retried forever) instead of the 535 it is.
    /// </summary>
    public const int DefaultMaxAuthFailures = 20;

    /// <summary>Failed AUTH exchanges a session may have; the last one is answered 421 4.7.0 and the session closes.</summary>
    public int MaxAuthFailures { get; init; } = DefaultMaxAuthFailures;
}
