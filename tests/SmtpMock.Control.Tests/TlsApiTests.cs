using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace SmtpMock.Control.Tests;

public sealed class TlsApiTests : ControlFixture
{
    [Test]
    public async Task The_certificate_endpoint_gives_the_pem_a_client_can_pin_for_starttls()
    {
        using var response = await Http.GetAsync("api/v1/tls/certificate");
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-pem-file"));
        var pem = await response.Content.ReadAsStringAsync();
        Assert.That(pem, Does.StartWith("-----BEGIN CERTIFICATE-----"));
        using var pinned = X509Certificate2.CreateFromPem(pem);

        using var client = new SmtpClient();
        client.ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned.RawData);
        await client.ConnectAsync("127.0.0.1", Server.EndPoint.Port, SecureSocketOptions.StartTls).WaitAsync(Deadline);
        Assert.That(client.IsSecure, Is.True, "the handshake succeeded trusting only the served certificate");
        await client.SendAsync(Message("over tls")).WaitAsync(Deadline);
        await client.DisconnectAsync(quit: true);
        Assert.That(Server.Messages.Messages.Single().IsSecure, Is.True);
    }
}
