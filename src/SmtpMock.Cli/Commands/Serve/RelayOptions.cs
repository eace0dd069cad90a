using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmtpMock.Server.Relay;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// serve's relay: the one SMTP server that captured messages can be released to from the page or the API
/// (<c>POST /api/v1/messages/{id}/release</c>), as Mailpit releases and smtp4dev relays.
/// </summary>
internal static class RelayOptions
{
    public static readonly Option<string?> Relay = new("--relay") { Description = "Let the page and API release captured messages to this SMTP server (port 25 unless given; TLS on connect for 465, STARTTLS when offered otherwise)", HelpName = "HOST[:PORT]" };
    public const string PasswordVariable = "SMTPMOCK_RELAY_PASSWORD";

    public static readonly Option<string?> User = new("--relay-user") { Description = $"Log in to the relay (only over TLS unless --relay-insecure); NAME alone takes the password from {PasswordVariable}", HelpName = "NAME[:PASSWORD]" };
    public static readonly Option<bool> Insecure = new("--relay-insecure") { Description = "Take the relay as a test server: accept any certificate, and log in without TLS if it offers none" };
    public static readonly Option<FileInfo?> Ca = OptionParsers.FileOption("--relay-ca", "Trust the relay's certificate, or the CA that signed it (PEM), without turning checks off");

    public static IEnumerable<Option> All => [Relay, User, Insecure, Ca];

    /// <summary>The relay, or null (none asked for, or <paramref name="error"/> says what is wrong).</summary>
    public static RelayTarget? Read(ParseResult parse, bool httpOn, out string? error)
    {
        error = null;
        var text = parse.GetValue(Relay);
        var user = parse.GetValue(User);
        if (text is null)
        {
            error = user is not null || parse.GetValue(Insecure) || parse.GetValue(Ca) is not null ? "smtpmock: --relay-user, --relay-insecure and --relay-ca need --relay HOST[:PORT]" : null;
            return null;
        }

        if (!httpOn)
        {
            error = "smtpmock: --relay releases messages from the page and the API: leave out --no-http";
            return null;
        }

        if (Parse(text) is not var (host, port))
        {
            error = $"smtpmock: --relay '{text}' is not HOST or HOST:PORT (e.g. --relay smtp.example.com:587, --relay [::1]:2525)";
            return null;
        }

        string? name = null, password = null;
        if (user is not null)
        {
            // NAME:PASSWORD, or NAME with the password in the environment (kept out of the process list).
            var colon = user.IndexOf(':', StringComparison.Ordinal);
            (name, password) = colon < 0 ? (user, Environment.GetEnvironmentVariable(PasswordVariable)) : (user[..colon], user[(colon + 1)..]);
            if (name.Length == 0 || password is null)
            {
                error = $"smtpmock: --relay-user '{user}' is not NAME:PASSWORD (or NAME with {PasswordVariable} set)";
                return null;
            }
        }

        X509Certificate2Collection? trusted = null;
        if (parse.GetValue(Ca) is { } ca && (trusted = ReadCertificates(ca, out error)) is null)
        {
            return null;
        }

        return new RelayTarget(host, port) { User = name, Password = password, AcceptAnyCertificate = parse.GetValue(Insecure), TrustedCertificates = trusted };
    }

    /// <summary>The certificates in a PEM file (one, or a bundle), or null with the reason.</summary>
    private static X509Certificate2Collection? ReadCertificates(FileInfo file, out string? error)
    {
        error = null;
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error = $"smtpmock: --relay-ca {file.FullName} cannot be read as PEM certificates: {e.Message}";
            return null;
        }

        if (certificates.Count == 0)
        {
            error = $"smtpmock: --relay-ca {file.FullName} holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)";
            return null;
        }

        return certificates;
    }

    /// <summary>HOST, HOST:PORT, [IPV6] or [IPV6]:PORT, read as the authority of an smtp:// URI; the port 1-65535, 25 when left out.</summary>
    internal static (string Host, int Port)? Parse(string text) =>
        Uri.TryCreate("smtp://" + text, UriKind.Absolute, out var uri)
            && uri.Authority.Length > 0 && uri.UserInfo.Length == 0 && uri.PathAndQuery == "/" && uri.Fragment.Length == 0
            && !text.EndsWith('/') && uri.Port is -1 or (>= 1 and <= 65535)
            ? (uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host, uri.Port == -1 ? 25 : uri.Port)
            : null;
}
