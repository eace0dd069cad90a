using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SmtpMock.Server.Security;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The server's TLS: the certificate (given, or generated for the hostname on first use, so start-up stays fast),
/// STARTTLS for every plain connection and the implicit TLS listener (RFC 8314) beside the plain one.
/// </summary>
public sealed partial class SmtpMockServer
{
    private TlsSettings? _tlsSettings;
    private Socket? _tlsListener;
    private Task? _tlsAcceptLoop;

    /// <summary>The certificate STARTTLS and the TLS port present (generated when none was given), or null with TLS off.</summary>
    public X509Certificate2? TlsCertificate => _options.EnableTls ? TlsSettingsForSessions().Certificate : null;

    /// <summary>Where the implicit TLS listener is (with the real port when 0 was asked for), or null.</summary>
    public IPEndPoint? TlsEndPoint => (IPEndPoint?)_tlsListener?.LocalEndPoint;

    /// <summary>
    /// Where the certificate came from, for the console: given (<c>--tls-cert</c>), kept in a file (reused or new), or
    /// made in memory. Known once <see cref="TlsCertificate"/> was first asked for.
    /// </summary>
    public string? TlsCertificateOrigin { get; private set; }

    private TlsSettings TlsSettingsForSessions() => LazyInitializer.EnsureInitialized(ref _tlsSettings, () => new TlsSettings(Certificate())
    {
        RequireTls = _options.RequireTls,
        ImplicitTlsPort = _options.ImplicitTlsPort,
    });

    /// <summary>The given certificate, or the kept one (reused across restarts), or one made in memory.</summary>
    private X509Certificate2 Certificate()
    {
        if (_options.TlsCertificate is { } given)
        {
            TlsCertificateOrigin = $"given ({given.Subject})";
            return given;
        }

        if (_options.TlsCertificateFolder is { } folder)
        {
            try
            {
                var kept = KeptCertificate.LoadOrCreate(folder, _options.Hostname, [_options.EndPoint.Address], _options.TimeProvider, out var reused);
                var path = KeptCertificate.PathFor(folder, _options.Hostname);
                TlsCertificateOrigin = reused ? $"generated for {_options.Hostname} on an earlier start, kept in {path}" : $"generated for {_options.Hostname}, kept in {path} and reused on later starts";
                return kept;
            }
            catch (TlsCertificateException e)
            {
                Log.CertificateNotKept(_logger, e.Message);
            }
        }

        TlsCertificateOrigin = $"generated for {_options.Hostname} in memory (a new one on every start)";
        return TlsCertificates.Generate(_options.Hostname, [_options.EndPoint.Address], _options.TimeProvider);
    }

    /// <summary>One delegate for every session (a method group would allocate one per connection).</summary>
    private Func<TlsSettings>? _tlsSettingsForSessions;

    private SessionTls? TlsFor(Stream stream) => _options.EnableTls ? new SessionTls(stream, _tlsSettingsForSessions ??= TlsSettingsForSessions) : null;

    private void StartImplicitTls()
    {
        if (_options.ImplicitTlsPort is not { } port)
        {
            return;
        }

        var listener = Listen(new IPEndPoint(_options.EndPoint.Address, port));
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

    /// <summary>The handshake on the TLS port, before the greeting; a failed one ends only this session, noted in its transcript.</summary>
    private async Task<bool> HandshakeOnConnectAsync(SmtpSession session, SessionTls tls)
    {
        var connection = await tls.ImplicitAsync(_options.CommandTimeout, _stopping.Token).ConfigureAwait(false);
        if (!connection.Handshake.Succeeded)
        {
            session.EndBeforeGreeting(connection.Handshake.ToString(), "TLS handshake failed");
            return false;
        }

        session.BeginOverTls(connection.Handshake);
        return true;
    }
}
