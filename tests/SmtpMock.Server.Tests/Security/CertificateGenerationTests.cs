using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Tests.Security;

public class CertificateGenerationTests
{
    [Test]
    public void Generate_names_the_host_localhost_and_the_addresses_in_the_san()
    {
        using var certificate = TlsCertificates.Generate("mail.example.test", [IPAddress.Parse("192.0.2.7"), IPAddress.Any]);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.That(san.EnumerateDnsNames(), Is.EquivalentTo(new[] { "mail.example.test", "localhost" }));
        Assert.That(san.EnumerateIPAddresses(), Is.EquivalentTo(new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("192.0.2.7") }));
        Assert.That(certificate.MatchesHostname("mail.example.test"), Is.True);
        Assert.That(certificate.MatchesHostname("127.0.0.1"), Is.True);
        Assert.That(certificate.MatchesHostname("other.example.test"), Is.False);
    }

    [Test]
    public void Generate_with_an_ip_hostname_puts_it_in_the_san_as_an_address()
    {
        using var certificate = TlsCertificates.Generate("10.1.2.3");
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.That(san.EnumerateDnsNames(), Is.EqualTo(new[] { "localhost" }));
        Assert.That(san.EnumerateIPAddresses(), Does.Contain(IPAddress.Parse("10.1.2.3")));
    }

    [Test]
    public void Generate_makes_an_ecdsa_p256_server_certificate_with_its_key()
    {
        using var certificate = TlsCertificates.Generate("localhost");
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();

        Assert.That(eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value), Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.1" }));
        Assert.That(certificate.HasPrivateKey, Is.True);
        using var key = certificate.GetECDsaPrivateKey();
        Assert.That(key?.KeySize, Is.EqualTo(256));
        Assert.That(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority, Is.False);
    }

    [Test]
    public void Generate_is_valid_from_a_day_ago_for_a_year()
    {
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        using var certificate = TlsCertificates.Generate("localhost", time: new FakeTimeProvider(now));

        Assert.That(certificate.NotBefore.ToUniversalTime(), Is.EqualTo(now.AddDays(-1).UtcDateTime));
        Assert.That(certificate.NotAfter.ToUniversalTime(), Is.EqualTo(now.AddYears(1).UtcDateTime));
    }

    [Test]
    public void Generate_makes_a_new_key_each_time()
    {
        using var first = TlsCertificates.Generate("localhost");
        using var second = TlsCertificates.Generate("localhost");
        Assert.That(second.GetPublicKey(), Is.Not.EqualTo(first.GetPublicKey()));
    }

    [Test]
    public void Generate_is_fast_enough_for_start_up()
    {
        using (TlsCertificates.Generate("warm.up"))
        {
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            using var certificate = TlsCertificates.Generate("localhost");
        }

        // About 10 ms each on the 2-core reference machine; the bound is loose so a busy machine does not fail it,
        // but RSA 2048 (60-350 ms each) would.
        Assert.That(clock.Elapsed / 5, Is.LessThan(TimeSpan.FromMilliseconds(100)));
        TestContext.Out.WriteLine($"certificate generation: {clock.Elapsed.TotalMilliseconds / 5:F1} ms each");
    }

    [Test]
    public void ExportPem_gives_the_public_certificate_only()
    {
        using var certificate = TlsCertificates.Generate("localhost");
        var pem = TlsCertificates.ExportPem(certificate);

        Assert.That(pem, Does.StartWith("-----BEGIN CERTIFICATE-----").And.Not.Contain("PRIVATE KEY"));
        using var reloaded = X509Certificate2.CreateFromPem(pem);
        Assert.That(reloaded.Thumbprint, Is.EqualTo(certificate.Thumbprint));
        Assert.That(reloaded.HasPrivateKey, Is.False);
    }
}
