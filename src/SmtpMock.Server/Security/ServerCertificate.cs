using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Server.Security;

/// <summary>
/// The server's certificate and the TLS settings every session shares: the given certificate, or the kept one (reused
/// across restarts), or one made in memory. Made on first use, so start-up stays fast.
/// </summary>
internal sealed partial class ServerCertificate(SmtpServerOptions options, ILogger logger)
{
    private TlsSettings? _settings;

    /// <summary>
    /// Where the certificate came from, for the console: given (<c>--tls-cert</c>), kept in a file (reused or new), or
    /// made in memory. Known once <see cref="Settings"/> was first asked for.
    /// </summary>
    public string? Origin { get; private set; }

    /// <summary>The settings STARTTLS and the TLS port use, made once.</summary>
    public TlsSettings Settings() => LazyInitializer.EnsureInitialized(ref _settings, () => new TlsSettings(Certificate())
    {
        RequireTls = options.RequireTls,
        ImplicitTlsPort = options.ImplicitTlsPort,
    });

    private X509Certificate2 Certificate()
    {
        if (options.TlsCertificate is { } given)
        {
            Origin = $"given ({given.Subject})";
            return given;
        }

        if (options.TlsCertificateFolder is { } folder)
        {
            try
            {
                var kept = KeptCertificate.LoadOrCreate(folder, options.Hostname, [options.EndPoint.Address], options.TimeProvider, out var reused);
                var path = KeptCertificate.PathFor(folder, options.Hostname);
                Origin = reused ? $"generated for {options.Hostname} on an earlier start, kept in {path}" : $"generated for {options.Hostname}, kept in {path} and reused on later starts";
                return kept;
            }
            catch (TlsCertificateException e)
            {
                Log.CertificateNotKept(logger, e.Message);
            }
        }

        Origin = $"generated for {options.Hostname} in memory (a new one on every start)";
        return TlsCertificates.Generate(options.Hostname, [options.EndPoint.Address], options.TimeProvider);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "{Problem}; a certificate made in memory is used instead (a new one on every start)")]
        public static partial void CertificateNotKept(ILogger logger, string problem);
    }
}
