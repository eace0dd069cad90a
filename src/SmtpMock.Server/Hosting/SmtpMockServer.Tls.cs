using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The server's TLS as its users see it: the certificate (<see cref="Security.ServerCertificate"/>: given, or generated
/// for the hostname on first use) and the implicit TLS listener (RFC 8314) beside the plain one.
/// </summary>
public sealed partial class SmtpMockServer
{
    private Socket? _tlsListener;
    private Task? _tlsAcceptLoop;

    /// <summary>The certificate STARTTLS and the TLS port present (generated when none was given), or null with TLS off.</summary>
    public X509Certificate2? TlsCertificate => _options.EnableTls ? _certificate.Settings().Certificate : null;

    /// <summary>Where the implicit TLS listener is (with the real port when 0 was asked for), or null.</summary>
    public IPEndPoint? TlsEndPoint => (IPEndPoint?)_tlsListener?.LocalEndPoint;

    /// <summary>
    /// Where the certificate came from, for the console: given (<c>--tls-cert</c>), kept in a file (reused or new), or
    /// made in memory. Known once <see cref="TlsCertificate"/> was first asked for.
    /// </summary>
    public string? TlsCertificateOrigin => _certificate.Origin;

    private void StartImplicitTls()
    {
        if (_options.ImplicitTlsPort is not { } port)
        {
            return;
        }

        var listener = ServerSockets.Listen(new IPEndPoint(_options.EndPoint.Address, port));
        _tlsListener = listener;
        _tlsAcceptLoop = AcceptLoopAsync(listener, implicitTls: true);
    }

    private async Task StopImplicitTlsAsync()
    {
        _tlsListener?.Dispose();
        if (_tlsAcceptLoop is not null)
        {
            await _tlsAcceptLoop.ConfigureAwait(false);
        }
    }
}
