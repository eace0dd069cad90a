using System.Net;
using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Tests.Security;

/// <summary>A generated certificate kept in a folder: reused while it serves, replaced when it does not.</summary>
public class KeptCertificateTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Path.Combine(Directory.CreateTempSubdirectory("smtpmock-kept-").FullName, "tls");

    [TearDown]
    public void RemoveFolder() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Test]
    public void The_second_start_reuses_the_first_starts_certificate()
    {
        using var first = KeptCertificate.LoadOrCreate(_folder, "mx.test", [IPAddress.Loopback], TimeProvider.System, out var firstReused);
        using var second = KeptCertificate.LoadOrCreate(_folder, "mx.test", [IPAddress.Loopback], TimeProvider.System, out var secondReused);

        Assert.That((firstReused, secondReused), Is.EqualTo((false, true)));
        Assert.That(second.Thumbprint, Is.EqualTo(first.Thumbprint));
        Assert.That(second.HasPrivateKey, Is.True);
    }

    [Test]
    public void Another_name_another_address_or_a_certificate_about_to_expire_is_replaced()
    {
        using var kept = KeptCertificate.LoadOrCreate(_folder, "mx.test", [IPAddress.Loopback], TimeProvider.System, out _);

        using var otherName = KeptCertificate.LoadOrCreate(_folder, "other.test", [IPAddress.Loopback], TimeProvider.System, out var otherReused);
        using var otherAddress = KeptCertificate.LoadOrCreate(_folder, "mx.test", [IPAddress.Parse("192.0.2.7")], TimeProvider.System, out var addressReused);
        var late = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(340));
        using var renewed = KeptCertificate.LoadOrCreate(_folder, "mx.test", [IPAddress.Parse("192.0.2.7")], late, out var lateReused);

        Assert.That((otherReused, addressReused, lateReused), Is.EqualTo((false, false, false)));
        Assert.That(otherAddress.Thumbprint, Is.Not.EqualTo(kept.Thumbprint));
        Assert.That(renewed.NotAfter.ToUniversalTime(), Is.GreaterThan(late.GetUtcNow().UtcDateTime.AddDays(300)));
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "mx.test.pem", "other.test.pem" }), "no temporary file is left");
    }

    [Test]
    public void An_unreadable_file_is_replaced_and_a_folder_that_cannot_be_made_is_a_clear_error()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(KeptCertificate.PathFor(_folder, "mx.test"), "garbage");
        using var made = KeptCertificate.LoadOrCreate(_folder, "mx.test", [IPAddress.Loopback], TimeProvider.System, out var reused);
        Assert.That(reused, Is.False);

        var blocked = Path.Combine(Path.GetDirectoryName(_folder)!, "file");
        File.WriteAllText(blocked, "a file, not a folder");
        var problem = Assert.Throws<TlsCertificateException>(() => KeptCertificate.LoadOrCreate(Path.Combine(blocked, "tls"), "mx.test", [], TimeProvider.System, out _));
        Assert.That(problem!.Message, Does.StartWith($"cannot keep the generated TLS certificate in {Path.Combine(blocked, "tls")}"));
    }
}
