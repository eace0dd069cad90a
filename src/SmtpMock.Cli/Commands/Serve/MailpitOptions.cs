using System.CommandLine;
using System.Globalization;
using System.Net;
using SmtpMock.Control.Compat.Mailpit;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Security;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// serve's <c>--mailpit-port</c> (Mailpit's API on a port of its own, issue 22) and <c>--seed</c>; with the Mailpit API
/// on, the Mailpit environment variables a compose file sets are read as their SmtpMock equivalents, so swapping the
/// <c>axllent/mailpit</c> image needs no rewrite. A flag given on the command line wins over its variable.
/// </summary>
internal static class MailpitOptions
{
    public static readonly Option<int?> Port = OptionParsers.OptionalPort("--mailpit-port", "Also serve Mailpit's HTTP API on PORT (0 picks a free one), on --http-host, so Mailpit clients work unchanged");
    public static Option<int?> Seed => SeedOption.Seed;

    public static IReadOnlyList<Option> All { get; } = [Port, SeedOption.Seed];

    /// <summary>
    /// <c>MP_SMTP_AUTH_ACCEPT_ANY</c>, <c>MP_SMTP_AUTH_ALLOW_INSECURE</c>, <c>MP_MAX_MESSAGES</c> (0: no limit) and
    /// <c>MP_SMTP_TLS_CERT</c>/<c>MP_SMTP_TLS_KEY</c>, read only when the Mailpit API is on; the problem for a bad value.
    /// </summary>
    public static (SmtpServerOptions Options, string? Problem) ApplyEnvironment(ParseResult parse, SmtpServerOptions options, Func<string, string?>? environment = null)
    {
        if (parse.GetValue(Port) is null)
        {
            return (options, null);
        }

        var read = environment ?? Environment.GetEnvironmentVariable;
        if (IsTrue(read("MP_SMTP_AUTH_ACCEPT_ANY")))
        {
            if (options.AuthUsers.Count > 0)
            {
                return (options, "MP_SMTP_AUTH_ACCEPT_ANY cannot be used with --auth-user or --auth-users-file (as in Mailpit): leave out one");
            }

            options = options with { EnableAuth = true, AuthAcceptAny = true };
        }

        if (IsTrue(read("MP_SMTP_AUTH_ALLOW_INSECURE")))
        {
            options = options with { AllowPlaintextAuth = true };
        }

        if (read("MP_MAX_MESSAGES") is { Length: > 0 } max && parse.GetResult(ServeCommand.MaxMessages) is null or { Implicit: true })
        {
            if (!int.TryParse(max, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var kept))
            {
                return (options, $"MP_MAX_MESSAGES '{max}' is not a whole number (0 keeps every message)");
            }

            options = options with { MaxStoredMessages = kept < 1 ? int.MaxValue : kept };
        }

        var (certificate, key) = (read("MP_SMTP_TLS_CERT"), read("MP_SMTP_TLS_KEY"));
        if (string.IsNullOrEmpty(certificate) != string.IsNullOrEmpty(key))
        {
            return (options, "MP_SMTP_TLS_CERT and MP_SMTP_TLS_KEY go together: set both, or neither");
        }

        // Mailpit's "sans:host,..." asks for a generated certificate: SmtpMock generates one anyway.
        if (!string.IsNullOrEmpty(certificate) && !certificate.StartsWith("sans:", StringComparison.OrdinalIgnoreCase) && parse.GetValue(TlsOptions.Certificate) is null)
        {
            try
            {
                options = options with { TlsCertificate = TlsCertificates.LoadPem(certificate, key!, options.TimeProvider), TlsCertificateFolder = null };
            }
            catch (TlsCertificateException e)
            {
                return (options, $"MP_SMTP_TLS_CERT/MP_SMTP_TLS_KEY: {e.Message}");
            }
        }

        return (options, null);
    }

    /// <summary>Starts the Mailpit API and prints its address; null when it was not asked for, or (after one <c>smtpmock:</c> line) when it cannot listen.</summary>
    public static async Task<MailpitServer?> StartAsync(ParseResult parse, ControlOptions? http, ControlServer? control, SmtpMockServer server, Microsoft.Extensions.Logging.ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Port) is not { } port)
        {
            return null;
        }

        var shared = http ?? new ControlOptions();
        var options = new Control.Compat.Mailpit.MailpitOptions
        {
            EndPoint = new IPEndPoint(shared.EndPoint.Address, port),
            Seed = parse.GetValue(Seed),
            PageAddress = control?.BaseAddress,
        };
        try
        {
            var mailpit = await MailpitServer.StartAsync(server, shared, options, loggers, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Mailpit API on {mailpit.BaseAddress} (its chaos is the scenario mailpit-chaos{(options.Seed is { } seed ? $", seed {seed}" : string.Empty)})").ConfigureAwait(false);
            return mailpit;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"smtpmock: cannot serve the Mailpit API on {options.EndPoint}: {e.Message} (pick another --mailpit-port, 0 for a free one)").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Booleans as Mailpit reads them: 1, true or yes, in any case.</summary>
    private static bool IsTrue(string? value) => value?.Trim().ToLowerInvariant() is "1" or "true" or "yes";
}
