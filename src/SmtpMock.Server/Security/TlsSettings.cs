using System.ComponentModel;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Server.Security;

/// <summary>
/// What the server does TLS with: STARTTLS (RFC 3207) on the plain port, implicit TLS (RFC 8314) on
/// <see cref="ImplicitTlsPort"/>. Immutable; one instance serves every session.
/// </summary>
public sealed record TlsSettings
{
    private readonly ContextCache _contexts = new();

    public TlsSettings(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    /// <summary>The server certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; init; }

    /// <summary>TLS 1.2 and 1.3 by default; older versions are refused by the handshake.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary><c>--require-tls</c>: MAIL, RCPT, DATA, BDAT and AUTH before STARTTLS get 530 5.7.0.</summary>
    public bool RequireTls { get; init; }

    /// <summary><c>--tls-port</c>: a second listener where TLS starts on connect (e.g. 465); null for none, 0 picks one.</summary>
    public int? ImplicitTlsPort { get; init; }

    /// <summary>
    /// The same settings offering only TLS 1.0 and 1.1 (<c>tls: old</c>): a current client refuses them. The names are
    /// obsolete in .NET because no one should use them; here that is the point.
    /// </summary>
#pragma warning disable SYSLIB0039
    internal TlsSettings OnlyOldProtocols() => this with { Protocols = SslProtocols.Tls | SslProtocols.Tls11 };
#pragma warning restore SYSLIB0039

    /// <summary>One problem per message, as <see cref="Hosting.SmtpServerOptions.Validate"/>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Certificate.HasPrivateKey)
        {
            problems.Add("the TLS certificate has no private key");
        }

        if ((Protocols & (SslProtocols.Tls12 | SslProtocols.Tls13)) == 0)
        {
            problems.Add("TLS protocols must include TLS 1.2 or TLS 1.3");
        }

        if (ImplicitTlsPort is < 0 or > 65535)
        {
            problems.Add($"TLS port {ImplicitTlsPort} must be 0 to 65535");
        }

        return problems;
    }

    /// <summary>
    /// Wraps <paramref name="inner"/> (left open: the session owns its socket) and runs the server handshake, its
    /// work on the thread pool (<see cref="HandshakeStream"/>). On failure the <see cref="SslStream"/> is disposed
    /// and the result's stream is null.
    /// </summary>
    public async Task<(SslStream? Stream, TlsHandshake Handshake)> AcceptAsync(Stream inner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var wire = new HandshakeStream(inner);
        var stream = new SslStream(wire, leaveInnerStreamOpen: true);
        TlsHandshake handshake;
        try
        {
            handshake = await AuthenticateAsServerAsync(stream, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            wire.HandshakeEnded();
        }

        if (handshake.Succeeded)
        {
            return (stream, handshake);
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        return (null, handshake);
    }

    /// <summary>
    /// Runs the server side of the handshake, bounded by <paramref name="timeout"/>. A client's failure (garbage,
    /// a protocol it cannot agree on, a reset, silence past the timeout) comes back as a failed
    /// <see cref="TlsHandshake"/>; only <paramref name="cancellationToken"/> (shutdown) throws.
    /// </summary>
    public async Task<TlsHandshake> AuthenticateAsServerAsync(SslStream stream, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await stream.AuthenticateAsServerAsync(ServerOptions(), deadline.Token).ConfigureAwait(false);
            return TlsHandshake.From(stream);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TlsHandshake.Failed($"no handshake within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is AuthenticationException or IOException or Win32Exception or ObjectDisposedException)
        {
            return TlsHandshake.Failed(e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
        }
    }

    private SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = _contexts.For(Certificate),
        EnabledSslProtocols = Protocols,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
    };

    /// <summary>
    /// The certificate context (chain built once, not per handshake), made on first use. A copy made with
    /// <c>with</c> shares the cache, so it is keyed by certificate; it takes no part in equality.
    /// </summary>
    private sealed class ContextCache
    {
        private Entry? _entry;

        public SslStreamCertificateContext For(X509Certificate2 certificate)
        {
            var entry = _entry;
            if (entry is not null && ReferenceEquals(entry.Certificate, certificate))
            {
                return entry.Context;
            }

            var context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
            _entry = new Entry(certificate, context);
            return context;
        }

        public override bool Equals(object? obj) => obj is ContextCache;

        public override int GetHashCode() => 0;

        /// <summary>A class, so that one reference write publishes both halves to other threads.</summary>
        private sealed record Entry(X509Certificate2 Certificate, SslStreamCertificateContext Context);
    }
}
