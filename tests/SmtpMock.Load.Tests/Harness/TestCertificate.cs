using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Load.Tests.Harness;

/// <summary>
/// A self-signed ECDSA certificate for localhost and 127.0.0.1 in a temporary folder, given to the server as
/// <c>--tls-cert</c>/<c>--tls-key</c> so that no test writes the generated one under the user's home. Clients trust
/// exactly it (<see cref="IsIt"/>).
/// </summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly string _folder;
    private readonly byte[] _hash;

    private TestCertificate(string folder, byte[] hash)
    {
        _folder = folder;
        _hash = hash;
    }

    public string CertificateFile => Path.Combine(_folder, "cert.pem");

    public string KeyFile => Path.Combine(_folder, "key.pem");

    /// <summary>The server flags that make it present this certificate.</summary>
    public string[] Flags => ["--tls-cert", CertificateFile, "--tls-key", KeyFile];

    public static TestCertificate Create()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-load-tls-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var made = new TestCertificate(folder, certificate.GetCertHash(HashAlgorithmName.SHA256));
        File.WriteAllText(made.CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(made.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return made;
    }

    /// <summary>A certificate check that accepts this certificate and no other.</summary>
    public bool IsIt(X509Certificate? presented) =>
        presented is not null && presented.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(_hash);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
