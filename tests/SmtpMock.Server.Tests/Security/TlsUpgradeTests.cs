using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Tests.Security;

/// <summary>STARTTLS and implicit TLS at the pipe level, over loopback sockets, as a session loop would do it.</summary>
public class TlsUpgradeTests : GeneratedCertificate
{
    private static SslClientAuthenticationOptions TrustingOurs() => new()
    {
        TargetHost = "localhost",
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == Certificate.GetCertHashString(),
    };

    /// <summary>Reads until the buffer holds <paramref name="octets"/>, bounded by the deadline.</summary>
    private static async Task<ReadResult> ReadAtLeastAsync(PipeReader reader, int octets)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (true)
        {
            var result = await reader.ReadAsync(timeout.Token);
            if (result.Buffer.Length >= octets || result.IsCompleted)
            {
                return result;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(one).AsTask().WaitAsync(Deadline);
            if (read == 0)
            {
                break;
            }

            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    [Test]
    public async Task StartTls_drops_a_command_pipelined_after_it_and_continues_on_new_pipes()
    {
        await using var pair = await LoopbackPair.ConnectAsync();
        var transport = pair.Server.GetStream();
        var input = PipeReader.Create(transport, new StreamPipeReaderOptions(leaveOpen: true));
        var output = PipeWriter.Create(transport, new StreamPipeWriterOptions(leaveOpen: true));
        var client = pair.Client.GetStream();

        // CVE-2011-0411: STARTTLS and NOOP in one write.
        await client.WriteAsync("STARTTLS\r\nNOOP\r\n"u8.ToArray());
        var read = await ReadAtLeastAsync(input, 16);
        Assert.That(read.Buffer.Length, Is.EqualTo(16), "both commands are in the session's buffer");
        input.AdvanceTo(read.Buffer.GetPosition("STARTTLS\r\n".Length), read.Buffer.End);
        await output.WriteAsync("220 2.0.0 Ready to start TLS\r\n"u8.ToArray());

        var upgrading = TlsUpgrade.StartTlsAsync(input, output, transport, new TlsSettings(Certificate), Deadline, CancellationToken.None);
        Assert.That(await ReadLineAsync(client), Is.EqualTo("220 2.0.0 Ready to start TLS\r\n"));
        await using var tls = new SslStream(client);
        await tls.AuthenticateAsClientAsync(TrustingOurs());
        var connection = await upgrading.WaitAsync(Deadline);

        Assert.That(connection.Handshake.Succeeded, Is.True, connection.Handshake.ToString());
        await using (connection.Stream)
        {
            await tls.WriteAsync("EHLO secure.test\r\n"u8.ToArray());
            var encrypted = await ReadAtLeastAsync(connection.Input!, 18);
            Assert.That(Encoding.ASCII.GetString(encrypted.Buffer.ToArray()), Is.EqualTo("EHLO secure.test\r\n"), "the NOOP never reaches the session");
            connection.Input!.AdvanceTo(encrypted.Buffer.End);

            await connection.Output!.WriteAsync("250 secure.test\r\n"u8.ToArray());
            Assert.That(await ReadLineAsync(tls), Is.EqualTo("250 secure.test\r\n"));
        }
    }

    [Test]
    public async Task StartTls_with_plaintext_instead_of_a_handshake_fails_and_answers_nothing()
    {
        await using var pair = await LoopbackPair.ConnectAsync();
        var transport = pair.Server.GetStream();
        var input = PipeReader.Create(transport, new StreamPipeReaderOptions(leaveOpen: true));
        var output = PipeWriter.Create(transport, new StreamPipeWriterOptions(leaveOpen: true));
        var client = pair.Client.GetStream();

        await client.WriteAsync("STARTTLS\r\n"u8.ToArray());
        var read = await ReadAtLeastAsync(input, 10);
        input.AdvanceTo(read.Buffer.End);
        await output.WriteAsync("220 2.0.0 Ready to start TLS\r\n"u8.ToArray());

        var upgrading = TlsUpgrade.StartTlsAsync(input, output, transport, new TlsSettings(Certificate), Deadline, CancellationToken.None);
        Assert.That(await ReadLineAsync(client), Is.EqualTo("220 2.0.0 Ready to start TLS\r\n"));
        await client.WriteAsync("NOOP\r\nQUIT\r\n"u8.ToArray());
        var connection = await upgrading.WaitAsync(Deadline);

        Assert.That(connection.Handshake.Succeeded, Is.False);
        Assert.That((connection.Stream, connection.Input, connection.Output), Is.EqualTo((default(SslStream), default(PipeReader), default(PipeWriter))));
        Assert.That(pair.Server.Connected, Is.True, "the session, not the upgrade, closes its socket");
    }

    [Test]
    public async Task Implicit_tls_gives_pipes_over_the_encrypted_stream()
    {
        await using var pair = await LoopbackPair.ConnectAsync();
        var upgrading = TlsUpgrade.ImplicitAsync(pair.Server.GetStream(), new TlsSettings(Certificate), Deadline, CancellationToken.None);
        await using var tls = new SslStream(pair.Client.GetStream());
        await tls.AuthenticateAsClientAsync(TrustingOurs());
        var connection = await upgrading.WaitAsync(Deadline);

        await using (connection.Stream)
        {
            await connection.Output!.WriteAsync("220 localhost ESMTP\r\n"u8.ToArray());
            Assert.That(await ReadLineAsync(tls), Is.EqualTo("220 localhost ESMTP\r\n"));
        }
    }
}
