using SmtpMock.Control.Hosting;
using SmtpMock.Protocol.Auth;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// The security setup in force, named at start: where the certificate came from and where it was exported, who may log
/// in, what is required, and who may read the API. An app pointed at the mock with its production settings (STARTTLS,
/// a login) works or fails for a reason these lines show.
/// </summary>
internal static class SecuritySummary
{
    /// <summary>The TLS and AUTH lines (after the listening line).</summary>
    public static IEnumerable<string> Smtp(SmtpServerOptions options, SmtpMockServer server, string? exported)
    {
        if (!options.EnableTls)
        {
            yield return "TLS: off (--no-tls): STARTTLS gets 502 5.5.1";
        }
        else
        {
            _ = server.TlsCertificate;
            var tlsRequired = options.RequireTls ? "required (--require-tls: MAIL, RCPT, DATA, BDAT and AUTH before it get 530 5.7.0)" : "not required (--require-tls to require it)";
            var port = server.TlsEndPoint is { } tls ? $"; TLS from the first byte on smtps://{tls}" : string.Empty;
            var export = exported is null ? " (--tls-export-cert FILE writes it for clients to trust)" : $", exported to {exported}";
            yield return $"TLS: STARTTLS offered, {tlsRequired}{port}; certificate {server.TlsCertificateOrigin}{export}";
        }

        if (!options.EnableAuth)
        {
            yield return "AUTH: off (--no-auth): AUTH gets 502 5.5.1";
            yield break;
        }

        var who = options.AuthUsers.Count == 0 && options.AuthAcceptAny is null or true
            ? "any login accepted (--auth-user NAME:PASSWORD to check one)"
            : $"only {string.Join(", ", options.AuthUsers.Keys.Order(StringComparer.Ordinal))} with the configured password{(options.AuthUsers.Count == 1 ? string.Empty : "s")}";
        var clear = SaslMechanisms.All.Where(m => options.AllowPlaintextAuth || !m.SendsSecretInClear()).Select(m => m.Name());
        var mechanisms = options.RequireTls ? $"{string.Join(" ", SaslMechanisms.All.Select(m => m.Name()))} over TLS only"
            : options.AllowPlaintextAuth || !options.EnableTls
            ? $"{string.Join(" ", clear)}{(options.AllowPlaintextAuth ? " (--allow-plaintext-auth: also before TLS)" : string.Empty)}"
            : $"{string.Join(" ", clear)} before TLS, {string.Join(" ", SaslMechanisms.All.Select(m => m.Name()))} over TLS";
        var required = options.AuthRequired ? "required before MAIL (--auth-required)" : "not required (--auth-required to require it)";
        yield return $"AUTH: {who}; {required}; {mechanisms}";
    }

    /// <summary>The line about who may read the HTTP API (after its address).</summary>
    public static string Http(ControlOptions options) => options.ApiToken is null
        ? $"API: no token: anyone who can reach it reads every captured message (--api-token TOKEN or {HttpOptions.TokenVariable} to require one)"
        : "API: a token is required (Authorization: Bearer TOKEN on /api and /metrics; the page asks for it once)";
}
