using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Tests.Security;

public class PemLoadTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("smtpmock-pem-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private (string Cert, string Key) Write(string name, string certPem, string keyPem)
    {
        var cert = Path.Combine(_dir, name + ".crt");
        var key = Path.Combine(_dir, name + ".key");
        File.WriteAllText(cert, certPem);
        File.WriteAllText(key, keyPem);
        return (cert, key);
    }

    private (string Cert, string Key) WriteGenerated(string name, TimeProvider? time = null)
    {
        using var certificate = TlsCertificates.Generate("pem.test", time: time);
        using var key = certificate.GetECDsaPrivateKey()!;
        return Write(name, TlsCertificates.ExportPem(certificate), key.ExportPkcs8PrivateKeyPem());
    }

    [Test]
    public void LoadPem_loads_a_certificate_with_its_pkcs8_key()
    {
        var (cert, key) = WriteGenerated("good");
        using var certificate = TlsCertificates.LoadPem(cert, key);
        Assert.That(certificate.HasPrivateKey, Is.True);
        Assert.That(certificate.MatchesHostname("pem.test"), Is.True);
    }

    [Test]
    public void LoadPem_loads_an_rsa_key_in_pkcs1_form()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=rsa.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var generated = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var (cert, key) = Write("rsa", TlsCertificates.ExportPem(generated), rsa.ExportRSAPrivateKeyPem());

        using var certificate = TlsCertificates.LoadPem(cert, key);
        Assert.That(certificate.HasPrivateKey, Is.True);
    }

    [Test]
    public void LoadPem_names_a_missing_certificate_file()
    {
        var (_, key) = WriteGenerated("good");
        var missing = Path.Combine(_dir, "nope.crt");
        Assert.That(() => TlsCertificates.LoadPem(missing, key),
            Throws.TypeOf<TlsCertificateException>().With.Message.EqualTo($"TLS certificate (--tls-cert) file '{missing}' not found"));
    }

    [Test]
    public void LoadPem_names_a_missing_key_file()
    {
        var (cert, _) = WriteGenerated("good");
        var missing = Path.Combine(_dir, "missing", "nope.key");
        Assert.That(() => TlsCertificates.LoadPem(cert, missing),
            Throws.TypeOf<TlsCertificateException>().With.Message.EqualTo($"TLS private key (--tls-key) file '{missing}' not found"));
    }

    [Test]
    public void LoadPem_refuses_a_key_that_is_not_the_certificates()
    {
        var (cert, _) = WriteGenerated("one");
        var (_, otherKey) = WriteGenerated("two");
        Assert.That(() => TlsCertificates.LoadPem(cert, otherKey),
            Throws.TypeOf<TlsCertificateException>().With.Message.Contains("does not match the certificate"));
    }

    [Test]
    public void LoadPem_refuses_an_expired_certificate_with_its_date()
    {
        var (cert, key) = WriteGenerated("old", new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(() => TlsCertificates.LoadPem(cert, key),
            Throws.TypeOf<TlsCertificateException>().With.Message.Contains("expired on 2021-01-01").And.Message.Contains("omit --tls-cert"));
    }

    [Test]
    public void LoadPem_refuses_a_certificate_not_yet_valid()
    {
        var (cert, key) = WriteGenerated("future", new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(30)));
        Assert.That(() => TlsCertificates.LoadPem(cert, key),
            Throws.TypeOf<TlsCertificateException>().With.Message.Contains("is not valid before"));
    }

    [Test]
    public void LoadPem_says_when_the_certificate_file_holds_no_certificate()
    {
        var (_, key) = WriteGenerated("good");
        Assert.That(() => TlsCertificates.LoadPem(key, key),
            Throws.TypeOf<TlsCertificateException>().With.Message.Contains("holds no PEM certificate"));
    }

    [Test]
    public void LoadPem_says_when_the_key_file_holds_no_key()
    {
        var (cert, _) = WriteGenerated("good");
        Assert.That(() => TlsCertificates.LoadPem(cert, cert),
            Throws.TypeOf<TlsCertificateException>().With.Message.Contains("holds no PEM private key"));
    }

    [Test]
    public void LoadPem_refuses_an_encrypted_key_and_says_how_to_decrypt_it()
    {
        var (cert, _) = WriteGenerated("good");
        using var key = ECDsa.Create();
        var encrypted = key.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
        var (_, keyPath) = Write("encrypted", string.Empty, encrypted);
        Assert.That(() => TlsCertificates.LoadPem(cert, keyPath),
            Throws.TypeOf<TlsCertificateException>().With.Message.Contains("is encrypted").And.Message.Contains("openssl pkey"));
    }

    [Test]
    public void ExportPemFile_writes_a_file_that_loads_back_and_names_an_unwritable_path()
    {
        using var certificate = TlsCertificates.Generate("localhost");
        var path = Path.Combine(_dir, "exported.pem");
        TlsCertificates.ExportPemFile(certificate, path);
        using var reloaded = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        Assert.That(reloaded.Thumbprint, Is.EqualTo(certificate.Thumbprint));

        var bad = Path.Combine(_dir, "no-such-dir", "x.pem");
        Assert.That(() => TlsCertificates.ExportPemFile(certificate, bad),
            Throws.TypeOf<TlsCertificateException>().With.Message.StartsWith($"cannot write the TLS certificate to '{bad}'"));
    }
}
