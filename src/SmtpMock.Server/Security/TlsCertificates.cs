using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Server.Security;

/// <summary>
/// The server certificate: generated in memory at start-up (ECDSA P-256: about 10 ms, against 60-350 ms for
/// RSA 2048 on the reference machine), or loaded from <c>--tls-cert</c>/<c>--tls-key</c> PEM files; and its public
/// part exported as PEM so a client can trust (pin) it.
/// </summary>
public static class TlsCertificates
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// A self-signed certificate for <paramref name="hostname"/> (also <c>localhost</c>) and
    /// <paramref name="addresses"/> (also 127.0.0.1 and ::1), for serverAuth, valid from a day ago for a year.
    /// </summary>
    public static X509Certificate2 Generate(string hostname, IEnumerable<IPAddress>? addresses = null, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={hostname}, O=SmtpMock"), key, HashAlgorithmName.SHA256);

        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in new[] { hostname, "localhost" }.Where(n => !IPAddress.TryParse(n, out _)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            san.AddDnsName(name);
        }

        var ips = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (IPAddress.TryParse(hostname, out var literal))
        {
            ips.Add(literal);
        }

        foreach (var ip in ips.Concat(addresses ?? []).Where(ip => !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)).Distinct())
        {
            san.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        return UsableForServer(certificate);
    }

    /// <summary>Loads a PEM certificate and its PEM private key (PKCS#8, PKCS#1 or SEC1, not encrypted).</summary>
    /// <exception cref="TlsCertificateException">A file is missing or unreadable, holds no certificate or key,
    /// the key is not the certificate's, or the certificate is expired or not yet valid.</exception>
    public static X509Certificate2 LoadPem(string certificatePath, string keyPath, TimeProvider? time = null)
    {
        var certificatePem = ReadFile(certificatePath, "certificate (--tls-cert)");
        var keyPem = ReadFile(keyPath, "private key (--tls-key)");

        X509Certificate2 publicOnly;
        try
        {
            publicOnly = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            throw new TlsCertificateException($"TLS certificate file '{certificatePath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        using (publicOnly)
        {
            var now = (time ?? TimeProvider.System).GetUtcNow();
            if (publicOnly.NotAfter.ToUniversalTime() < now.UtcDateTime)
            {
                throw new TlsCertificateException($"TLS certificate '{certificatePath}' expired on {publicOnly.NotAfter.ToUniversalTime():yyyy-MM-dd}; renew it or omit --tls-cert to use a generated one");
            }

            if (publicOnly.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                throw new TlsCertificateException($"TLS certificate '{certificatePath}' is not valid before {publicOnly.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
            }
        }

        if (keyPem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new TlsCertificateException($"TLS key file '{keyPath}' is encrypted; give an unencrypted PEM key (openssl pkey -in key.pem -out plain.pem)");
        }

        if (!keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new TlsCertificateException($"TLS key file '{keyPath}' holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }

        try
        {
            return UsableForServer(X509Certificate2.CreateFromPem(certificatePem, keyPem));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new TlsCertificateException($"TLS key file '{keyPath}' does not match the certificate in '{certificatePath}' (or is malformed)");
        }
    }

    /// <summary>The public certificate as PEM (<c>-----BEGIN CERTIFICATE-----</c>), never the key.</summary>
    public static string ExportPem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>Writes <see cref="ExportPem"/> to a file for <c>--tls-export-cert</c>.</summary>
    /// <exception cref="TlsCertificateException">The file cannot be written.</exception>
    public static void ExportPemFile(X509Certificate2 certificate, string path)
    {
        try
        {
            File.WriteAllText(path, ExportPem(certificate));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new TlsCertificateException($"cannot write the TLS certificate to '{path}': {e.Message}", e);
        }
    }

    private static string ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TlsCertificateException($"TLS {what} file '{path}' not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TlsCertificateException($"cannot read TLS {what} file '{path}': {e.Message}");
        }
    }

    /// <summary>
    /// On Linux (OpenSSL) SslStream takes an ephemeral in-memory key as it is (tested); Windows SChannel and macOS
    /// need the key in a key store, which a PKCS#12 round trip gives (about 18 ms more).
    /// </summary>
    private static X509Certificate2 UsableForServer(X509Certificate2 certificate)
    {
        if (OperatingSystem.IsLinux())
        {
            return certificate;
        }

        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }
}
