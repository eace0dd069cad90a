using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Server.Security;

/// <summary>
/// A generated certificate kept in a folder and reused on the next start, so a PEM exported once (or trusted by an
/// app, a Postfix, a browser) stays valid across restarts. One file per host name, <c>NAME.pem</c> with the
/// certificate and its private key, 0600 in a 0700 folder. A file that is unreadable, about to expire, or does not
/// cover the name and addresses is replaced by a new certificate; two servers starting at once end with one file
/// (the first written wins, the other loads it).
/// </summary>
internal static class KeptCertificate
{
    /// <summary>A kept certificate is replaced this long before it expires (a generated one is valid for a year).</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>Where the certificate for <paramref name="hostname"/> is kept in <paramref name="folder"/>.</summary>
    public static string PathFor(string folder, string hostname) =>
        Path.Combine(folder, string.Concat(hostname.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')) + ".pem");

    /// <summary>
    /// The kept certificate when it still serves, otherwise a new one written there. Throws
    /// <see cref="TlsCertificateException"/> only when a new one cannot be written (the caller then uses one in memory).
    /// </summary>
    public static X509Certificate2 LoadOrCreate(string folder, string hostname, IReadOnlyCollection<IPAddress> addresses, TimeProvider time, out bool reused)
    {
        var path = PathFor(folder, hostname);
        if (TryLoad(path, hostname, addresses, time) is { } kept)
        {
            reused = true;
            return kept;
        }

        var made = TlsCertificates.Generate(hostname, addresses, time);
        if (!Save(made, folder, path, keep: () => TryLoad(path, hostname, addresses, time) is { } other && Dispose(other)))
        {
            // Another server starting at this moment kept its own first: use that one, so both present the same.
            if (TryLoad(path, hostname, addresses, time) is { } winner)
            {
                made.Dispose();
                reused = true;
                return winner;
            }
        }

        reused = false;
        return made;
    }

    private static bool Dispose(X509Certificate2 certificate)
    {
        certificate.Dispose();
        return true;
    }

    private static X509Certificate2? TryLoad(string path, string hostname, IReadOnlyCollection<IPAddress> addresses, TimeProvider time)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var certificate = TlsCertificates.LoadPem(path, path, time);
            if (certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime < RenewBefore
                || !certificate.MatchesHostname(hostname)
                || addresses.Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)).Any(a => !certificate.MatchesHostname(a.ToString())))
            {
                certificate.Dispose();
                return null;
            }

            return certificate;
        }
        catch (TlsCertificateException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the certificate and key to a private temporary file and moves it into place: true when it is now kept,
    /// false when a file that <paramref name="keep"/> says still serves appeared meanwhile (another server's).
    /// </summary>
    private static bool Save(X509Certificate2 certificate, string folder, string path, Func<bool> keep)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            // Private to the user: the key is in the file.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            using var key = certificate.GetECDsaPrivateKey() ?? throw new CryptographicException("the generated certificate has no ECDSA key");
            var pem = certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temp, options))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(pem);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                if (keep())
                {
                    return false;
                }

                // What is there no longer serves (about to expire, another name): replaced.
                File.Move(temp, path, overwrite: true);
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new TlsCertificateException($"cannot keep the generated TLS certificate in {folder}: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
