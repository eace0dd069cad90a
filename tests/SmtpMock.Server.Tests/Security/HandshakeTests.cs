using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Tests.Security;

/// <summary>Real handshakes over loopback sockets: the server side is <see cref="TlsSettings"/>, the client SslStream.</summary>
public class HandshakeTests : GeneratedCertificate
{
    /// <summary>A client that trusts exactly the exported PEM (pinning), as a test suite would with --tls-export-cert.</summary>
    private static SslClientAuthenticationOptions Pinned(string exportedPem, SslProtocols protocols) => new()
    {
        TargetHost = "localhost",
        EnabledSslProtocols = protocols,
        RemoteCertificateValidationCallback = (_, presented, _, _) =>
        {
            using var trusted = X509Certificate2.CreateFromPem(exportedPem);
            return presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData);
        },
    };

    [TestCase(SslProtocols.Tls12, "TLSv1.2")]
    [TestCase(SslProtocols.Tls13, "TLSv1.3")]
    public async Task Handshake_with_the_generated_certificate_gives_protocol_and_cipher(SslProtocols clientProtocol, string expected)
    {
        await using var pair = await LoopbackPair.ConnectAsync();
        var settings = new TlsSettings(Certificate);
        await using var client = new SslStream(pair.Client.GetStream());

        var server = settings.AcceptAsync(pair.Server.GetStream(), Deadline, CancellationToken.None);
        await client.AuthenticateAsClientAsync(Pinned(TlsCertificates.ExportPem(Certificate), clientProtocol));
        var (stream, handshake) = await server;

        Assert.That(handshake.Succeeded, Is.True, handshake.ToString());
        Assert.That(handshake.Protocol, Is.EqualTo(expected));
        Assert.That(handshake.CipherSuite, Does.StartWith("TLS_"));
        Assert.That(handshake.ToString(), Is.EqualTo($"{expected} {handshake.CipherSuite}"));

        // Data flows both ways over the encrypted streams, as a session's new pipes would carry it.
        await using (stream)
        {
            await stream!.WriteAsync("220 ready\r\n"u8.ToArray());
            await stream.FlushAsync();
            var buffer = new byte[11];
            await client.ReadExactlyAsync(buffer).AsTask().WaitAsync(Deadline);
            Assert.That(Encoding.ASCII.GetString(buffer), Is.EqualTo("220 ready\r\n"));
        }
    }

    [Test]
    public async Task Handshake_with_a_pem_loaded_certificate_works()
    {
        var dir = Directory.CreateTempSubdirectory("smtpmock-hs-").FullName;
        try
        {
            using var key = Certificate.GetECDsaPrivateKey()!;
            File.WriteAllText(Path.Combine(dir, "c.pem"), TlsCertificates.ExportPem(Certificate));
            File.WriteAllText(Path.Combine(dir, "k.pem"), key.ExportPkcs8PrivateKeyPem());
            using var loaded = TlsCertificates.LoadPem(Path.Combine(dir, "c.pem"), Path.Combine(dir, "k.pem"));

            await using var pair = await LoopbackPair.ConnectAsync();
            await using var client = new SslStream(pair.Client.GetStream());
            var server = new TlsSettings(loaded).AcceptAsync(pair.Server.GetStream(), Deadline, CancellationToken.None);
            await client.AuthenticateAsClientAsync(Pinned(TlsCertificates.ExportPem(loaded), SslProtocols.Tls13));
            var (stream, handshake) = await server;
            await using (stream)
            {
                Assert.That(handshake.Succeeded, Is.True, handshake.ToString());
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <remarks>
    /// .NET validates the server certificate after the TLS handshake itself is done, so the server side may well
    /// see success; what matters is that the client refuses and hangs up, and the server reads the end.
    /// </remarks>
    [Test]
    public async Task A_client_pinning_another_certificate_refuses_the_server()
    {
        using var other = TlsCertificates.Generate("localhost");
        await using var pair = await LoopbackPair.ConnectAsync();
        await using var client = new SslStream(pair.Client.GetStream());

        var server = new TlsSettings(Certificate).AcceptAsync(pair.Server.GetStream(), Deadline, CancellationToken.None);
        Assert.That(async () => await client.AuthenticateAsClientAsync(Pinned(TlsCertificates.ExportPem(other), SslProtocols.Tls12)),
            Throws.InstanceOf<AuthenticationException>());
        pair.Client.Dispose();

        var (stream, _) = await server.WaitAsync(Deadline);
        if (stream is not null)
        {
            await using (stream)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(Deadline);
                }
                catch (IOException)
                {
                    read = 0;
                }

                Assert.That(read, Is.Zero, "the client hung up after refusing the certificate");
            }
        }
    }

    [Test]
    public async Task Garbage_instead_of_a_client_hello_fails_the_handshake_without_throwing()
    {
        await using var pair = await LoopbackPair.ConnectAsync();
        var server = new TlsSettings(Certificate).AcceptAsync(pair.Server.GetStream(), Deadline, CancellationToken.None);

        await pair.Client.GetStream().WriteAsync("NOOP\r\nQUIT\r\n this is not TLS at all, just plain text\r\n"u8.ToArray());
        var (stream, handshake) = await server.WaitAsync(Deadline);

        Assert.That(stream, Is.Null);
        Assert.That(handshake.Succeeded, Is.False);
        Assert.That(handshake.ToString(), Does.StartWith("TLS handshake failed: "));
        Assert.That(pair.Server.Connected, Is.True, "the session, not the handshake, decides to close its socket");
    }

    [Test]
    public async Task A_client_that_never_starts_the_handshake_times_out_as_a_failure()
    {
        await using var pair = await LoopbackPair.ConnectAsync();
        var handshake = (await new TlsSettings(Certificate)
            .AcceptAsync(pair.Server.GetStream(), TimeSpan.FromMilliseconds(300), CancellationToken.None)
            .WaitAsync(Deadline)).Handshake;

        Assert.That(handshake.Succeeded, Is.False);
        Assert.That(handshake.Error, Is.EqualTo("no handshake within 0.3 s"));
    }

    [Test]
    public async Task Shutdown_cancels_a_handshake_in_progress_by_throwing()
    {
        await using var pair = await LoopbackPair.ConnectAsync();
        using var shutdown = new CancellationTokenSource();
        var server = new TlsSettings(Certificate).AcceptAsync(pair.Server.GetStream(), Deadline, shutdown.Token);
        await shutdown.CancelAsync();

        Assert.That(async () => await server.WaitAsync(Deadline), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_client_offering_only_tls_1_1_is_refused()
    {
        await using var pair = await LoopbackPair.ConnectAsync();
        await using var client = new SslStream(pair.Client.GetStream());
        var server = new TlsSettings(Certificate).AcceptAsync(pair.Server.GetStream(), Deadline, CancellationToken.None);

#pragma warning disable SYSLIB0039 // TLS 1.1 on purpose: the server must refuse it.
        var clientTask = client.AuthenticateAsClientAsync(Pinned(TlsCertificates.ExportPem(Certificate), SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
        Assert.That(async () => await clientTask.WaitAsync(Deadline), Throws.Exception);
        pair.Client.Dispose();

        var (stream, handshake) = await server.WaitAsync(Deadline);
        Assert.That(stream, Is.Null);
        Assert.That(handshake.Succeeded, Is.False);
    }

    [Test]
    public void Settings_default_to_tls_1_2_and_1_3_and_validate_their_certificate()
    {
        var settings = new TlsSettings(Certificate);
        Assert.That(settings.Protocols, Is.EqualTo(SslProtocols.Tls12 | SslProtocols.Tls13));
        Assert.That(settings.Validate(), Is.Empty);

        using var publicOnly = X509Certificate2.CreateFromPem(TlsCertificates.ExportPem(Certificate));
        var problems = (settings with { Certificate = publicOnly, ImplicitTlsPort = 70000 }).Validate();
        Assert.That(problems, Is.EqualTo(new[] { "the TLS certificate has no private key", "TLS port 70000 must be 0 to 65535" }));
        Assert.That(settings with { RequireTls = false }, Is.EqualTo(settings));
    }
}
