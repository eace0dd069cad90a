using System.CommandLine;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Security;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// serve's STARTTLS, implicit TLS and AUTH options (issue 11), kept apart from <see cref="ServeCommand"/>: an app's
/// production mail settings (587 + STARTTLS + login, or 465) work against the mock unchanged.
/// </summary>
internal static class TlsOptions
{
    private static readonly SmtpServerOptions Defaults = new();

    public static readonly Option<FileInfo?> Certificate = OptionParsers.FileOption("--tls-cert", "PEM certificate for STARTTLS and --tls-port (default: one generated for --hostname)");
    public static readonly Option<FileInfo?> Key = OptionParsers.FileOption("--tls-key", "PEM private key (unencrypted) for --tls-cert");
    public static readonly Option<FileInfo?> ExportCertificate = OptionParsers.FileOption("--tls-export-cert", "Write the server certificate (public PEM) to FILE so clients can trust it");
    public static readonly Option<int?> Port = OptionParsers.OptionalPort("--tls-port", "Also listen with TLS from the first byte (RFC 8314), e.g. 465; 0 picks a port");
    public static readonly Option<bool> RequireTls = new("--require-tls") { Description = "MAIL, RCPT, DATA, BDAT and AUTH before STARTTLS get 530 5.7.0" };
    public static readonly Option<bool> AllowPlaintextAuth = new("--allow-plaintext-auth") { Description = "Offer PLAIN, LOGIN and XOAUTH2 before TLS too (default: 538 5.7.11 there)" };
    public static readonly Option<string[]> AuthUser = new("--auth-user") { Description = $"A login that must match (repeatable); with none, any login is accepted. Visible in the process list: prefer --auth-users-file or {UsersVariable}", HelpName = "NAME:PASSWORD" };
    public static readonly Option<FileInfo?> AuthUsersFile = OptionParsers.FileOption("--auth-users-file", "Logins that must match, one NAME:PASSWORD a line (# comments and blank lines ignored), kept out of the process list");
    public const string UsersVariable = "SMTPMOCK_AUTH_USERS";
    public static readonly Option<bool> AuthRequired = new("--auth-required") { Description = "MAIL before a successful AUTH gets 530 5.7.0" };
    public static readonly Option<bool> NoTls = new("--no-tls") { Description = "Offer no STARTTLS (it then gets 502 5.5.1)" };
    public static readonly Option<bool> NoAuth = new("--no-auth") { Description = "Offer no AUTH (it then gets 502 5.5.1)" };
    public static readonly Option<int> MaxAuthFailures = OptionParsers.Number("--max-auth-failures", "N", "Refused logins per session; the last is answered 421 4.7.0 and the session closes", Defaults.MaxAuthFailures, 1, int.MaxValue);

    public static IReadOnlyList<Option> All { get; } =
        [Certificate, Key, ExportCertificate, Port, RequireTls, AllowPlaintextAuth, AuthUser, AuthUsersFile, AuthRequired, MaxAuthFailures, NoTls, NoAuth];

    /// <summary>The options with these settings, or the one-line problem (for <c>smtpmock: ...</c>, exit 2).</summary>
    public static (SmtpServerOptions Options, string? Problem) Apply(ParseResult parse, SmtpServerOptions options)
    {
        var (users, usersProblem) = AuthUsers.Read(parse.GetValue(AuthUser) ?? [], parse.GetValue(AuthUsersFile), Environment.GetEnvironmentVariable(UsersVariable));
        if (usersProblem is not null)
        {
            return (options, usersProblem);
        }

        var port = parse.GetValue(Port);
        if (parse.GetValue(NoTls) && (parse.GetValue(RequireTls) || port is not null))
        {
            return (options, $"{(port is not null ? "--tls-port" : "--require-tls")} needs TLS: leave out --no-tls");
        }

        if (parse.GetValue(NoAuth) && parse.GetValue(AuthRequired))
        {
            return (options, "--auth-required needs AUTH: leave out --no-auth");
        }

        var certificate = parse.GetValue(Certificate);
        var key = parse.GetValue(Key);
        if ((certificate is null) != (key is null))
        {
            return (options, certificate is null ? "--tls-key needs --tls-cert (give both, or neither for a generated certificate)" : "--tls-cert needs --tls-key (give both, or neither for a generated certificate)");
        }

        try
        {
            return (options with
            {
                TlsCertificate = certificate is null ? null : TlsCertificates.LoadPem(certificate.FullName, key!.FullName, options.TimeProvider),
                TlsCertificateFolder = certificate is null ? KeptCertificateFolder(options.StoreDirectory) : null,
                EnableTls = !parse.GetValue(NoTls),
                EnableAuth = !parse.GetValue(NoAuth),
                ImplicitTlsPort = port,
                RequireTls = parse.GetValue(RequireTls),
                AllowPlaintextAuth = parse.GetValue(AllowPlaintextAuth),
                AuthUsers = users,
                AuthRequired = parse.GetValue(AuthRequired),
                MaxAuthFailures = parse.GetValue(MaxAuthFailures),
            }, null);
        }
        catch (TlsCertificateException e)
        {
            return (options, e.Message);
        }
    }

    /// <summary>
    /// Where a generated certificate is kept across restarts: beside the messages with <c>--store</c> (in the store's own
    /// <c>.smtpmock</c> folder), else in the user's data folder (<c>~/.local/share/smtpmock/tls</c>); null without a home.
    /// </summary>
    internal static string? KeptCertificateFolder(string? store)
    {
        if (store is not null)
        {
            return Path.Combine(store, Server.Capture.MessageDirectory.PrivateFolder, "tls");
        }

        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return string.IsNullOrEmpty(data) ? null : Path.Combine(data, "smtpmock", "tls");
    }

    /// <summary>Writes the certificate for <c>--tls-export-cert</c>; the problem, or null when done (or not asked).</summary>
    public static string? Export(ParseResult parse, SmtpMockServer server)
    {
        if (parse.GetValue(ExportCertificate) is not { } file || server.TlsCertificate is not { } certificate)
        {
            return null;
        }

        try
        {
            TlsCertificates.ExportPemFile(certificate, file.FullName);
            return null;
        }
        catch (TlsCertificateException e)
        {
            // ExportPemFile wraps the IO error; the inner message says why (no such folder, permission denied).
            return $"cannot write --tls-export-cert {file.FullName}: {e.InnerException?.Message ?? e.Message} (pick a writable path)";
        }
    }
}
