using SmtpMock.Server.Capture;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Tests;

/// <summary>
/// A relay with a self-signed certificate (another SmtpMock, a development relay) is not trusted without a flag, and
/// the 502 says which flag (issue #19 item 8); <c>--relay-ca</c> trusts exactly that certificate.
/// </summary>
public sealed class ReleaseToAnUntrustedRelayTests : RelayFixture
{
    protected override RelayTarget Target(int port) => new("127.0.0.1", port);

    [Test]
    public async Task Release_to_a_self_signed_relay_is_502_naming_relay_ca_and_relay_insecure()
    {
        await SendAsync(Message("Untrusted"));
        var id = Server.Messages.Messages.Single().Id;

        using var response = await Http.PostAsync($"api/v1/messages/{id}/release", null);
        var result = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), result.ToString());
        Assert.That(result.GetProperty("detail").GetString(), Does.Contain("--relay-ca FILE").And.Contain("--relay-insecure"));
        Assert.That(RelayServer.Messages.Count, Is.Zero);
    }
}

/// <summary><c>--relay-ca</c> with the relay's own certificate: verified, not skipped.</summary>
public sealed class ReleaseWithATrustedCertificateTests : RelayFixture
{
    protected override RelayTarget Target(int port) => new("127.0.0.1", port)
    {
        TrustedCertificates = [X509CertificateLoader.LoadCertificate(RelayServer.TlsCertificate!.Export(X509ContentType.Cert))],
    };

    [Test]
    public async Task Release_over_starttls_to_a_relay_whose_certificate_was_given_is_200()
    {
        await SendAsync(Message("Trusted"));
        var id = Server.Messages.Messages.Single().Id;

        using var response = await Http.PostAsync($"api/v1/messages/{id}/release", null);
        var result = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), result.ToString());
        Assert.That(result.GetProperty("replies").EnumerateArray().Select(r => r.GetString()), Has.Some.EqualTo("S: 220 2.0.0 Ready to start TLS"));
        var relayed = await RelayServer.Messages.WaitForAsync(_ => true, new CancellationTokenSource(Deadline).Token);
        Assert.That(relayed.IsSecure, Is.True);
    }
}

/// <summary>Content a relay cannot carry unchanged is not re-encoded behind the user's back: it is refused with the reason.</summary>
public sealed class ReleaseOfContentTheRelayCannotCarryTests : RelayFixture
{
    [Test]
    public async Task A_message_with_a_nul_byte_is_not_sent_and_the_502_says_why()
    {
        await SendRawAsync("Subject: nul\r\n\r\nbefore\0after\r\n");
        var id = Server.Messages.Messages.Single().Id;

        using var response = await Http.PostAsync($"api/v1/messages/{id}/release", null);
        var result = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), result.ToString());
        Assert.That(result.GetProperty("detail").GetString(), Does.Contain("NUL bytes").And.Contain("BINARYMIME"));
        Assert.That(result.GetProperty("replies").EnumerateArray().Select(r => r.GetString()), Has.None.EqualTo("C: DATA").And.Some.EqualTo("C: QUIT"));
        Assert.That(RelayServer.Messages.Count, Is.Zero);
    }

    /// <summary>One message with exactly these bytes, over a plain socket (MailKit would not send a NUL as it is).</summary>
    private async Task SendRawAsync(string content)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Server.EndPoint.Port);
        var stream = client.GetStream();
        var dialog = $"EHLO raw.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n{content}.\r\nQUIT\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(dialog));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        while (await reader.ReadLineAsync().WaitAsync(Deadline) is { } line && !line.StartsWith("221", StringComparison.Ordinal))
        {
        }

        await Server.Messages.WaitForAsync(_ => true, new CancellationTokenSource(Deadline).Token);
    }
}
