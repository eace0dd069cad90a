using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Server.Relay;

/// <summary>Whether a relay's certificate is taken: the system's trust, or the certificates given with <c>--relay-ca</c>.</summary>
internal static class RelayTrust
{
    /// <summary>The validation callback for <paramref name="relay"/>, or null for the system's own checks.</summary>
    public static RemoteCertificateValidationCallback? For(RelayTarget relay) =>
        relay.AcceptAnyCertificate ? (_, _, _, _) => true
        : relay.TrustedCertificates is { Count: > 0 } roots ? (_, certificate, _, errors) => Trusted(certificate, errors, roots)
        : null;

    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A name that does not match is never forgiven; only the chain may end at a certificate the user gave.
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
