using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>
/// A line client that can switch to TLS mid-dialog (STARTTLS) or start in it (the implicit TLS port). Reads a byte at
/// a time so that nothing past a reply is buffered before the handshake. Trusts only the server's own certificate.
/// </summary>
internal sealed class TlsLineClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;

    private TlsLineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public SslStream? Tls => _stream as SslStream;

    public static async Task<TlsLineClient> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient();
        using var timeout = TestServer.Timeout();
        await tcp.ConnectAsync(endPoint, timeout.Token);
        return new TlsLineClient(tcp);
    }

    /// <summary>Accepts exactly this certificate (pinning), as a client given the exported PEM would.</summary>
    public static bool Pinned(X509Certificate2 expected, X509Certificate? presented) =>
        presented is not null && presented.GetCertHashString() == expected.GetCertHashString();

    /// <param name="pinned">The one certificate accepted.</param>
    /// <param name="protocols">The versions offered; None lets the system choose (TLS 1.2 and 1.3).</param>
    public async Task StartTlsAsync(X509Certificate2 pinned, System.Security.Authentication.SslProtocols protocols = System.Security.Authentication.SslProtocols.None)
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, certificate, _, _) => Pinned(pinned, certificate));
        using var timeout = TestServer.Timeout();
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocols }, timeout.Token);
        _stream = tls;
    }

    public async Task WriteAsync(string text)
    {
        using var timeout = TestServer.Timeout();
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text), timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    public async Task<IReadOnlyList<string>> CommandAsync(string command)
    {
        await WriteAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>One whole reply (all its lines); fails when the server closes first.</summary>
    public async Task<IReadOnlyList<string>> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException($"closed after {string.Join(" | ", lines)}");
            lines.Add(line);
            if (line.Length < 4 || line[3] == ' ')
            {
                return lines;
            }
        }
    }

    /// <summary>A line without CRLF, or null when the connection ended.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = TestServer.Timeout();
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(one, timeout.Token);
            }
            catch (IOException)
            {
                read = 0;
            }

            if (read == 0)
            {
                return bytes.Count == 0 ? null : Encoding.ASCII.GetString([.. bytes]);
            }

            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                return Encoding.ASCII.GetString([.. bytes.Take(bytes.Count - 1)]);
            }

            bytes.Add(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
