using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SmtpMock.Cli.Logging;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>Runs the server until Ctrl+C or SIGTERM, then closes open sessions with 421 and exits 0.</summary>
internal static class ServeAction
{
    /// <summary>Exit code when the server cannot start for a reason outside its options (a port in use).</summary>
    public const int RuntimeError = 1;

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        var (options, problems) = ServeOptions.Build(parse);
        if (options is null)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"smtpmock: {problem}").ConfigureAwait(false);
            }

            return SmtpMockCli.UsageError;
        }

        (options, var tlsProblem) = TlsOptions.Apply(parse, options);
        (options, tlsProblem) = tlsProblem is null ? MailpitOptions.ApplyEnvironment(parse, options) : (options, tlsProblem);
        (options, var bounceProblem) = BounceToOption.Apply(parse, options);
        (options, var listenProblem) = ListenOption.Apply(parse, options);
        tlsProblem ??= bounceProblem ?? listenProblem;
        foreach (var problem in tlsProblem is not null ? [tlsProblem] : options.Validate())
        {
            await error.WriteLineAsync($"smtpmock: {problem}").ConfigureAwait(false);
        }

        if (tlsProblem is not null || options.Validate().Count > 0)
        {
            return SmtpMockCli.UsageError;
        }

        options = ProxyOptions.Apply(parse, options, out var proxyError);
        if (proxyError is not null)
        {
            await error.WriteLineAsync(proxyError).ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        var http = HttpOptions.Read(parse, out var httpError);
        var relay = httpError is null ? RelayOptions.Read(parse, http is not null, out httpError) : null;
        if (httpError is not null)
        {
            await error.WriteLineAsync(httpError).ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        http = http is null ? null : http with { Relay = relay };
        var webhooks = WebhookOptions.Read(parse, Environment.GetEnvironmentVariable(WebhookOptions.SecretVariable), out var webhookError);
        if (webhookError is not null)
        {
            await error.WriteLineAsync(webhookError).ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        options = options with { Webhooks = webhooks };

        // Parsed, and no socket exists yet: the moment to set switches the socket engine reads once.
        if (SmtpMockCli.OwnsProcess)
        {
            InlineCompletions.Apply(options);
        }

        // One console line per event, written in batches (Logging/BatchingConsoleLoggerProvider says why). The
        // factory does not dispose a provider it was handed, so this one is disposed last and writes what is left.
        using var console = new BatchingConsoleLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(ToLogLevel(parse.GetValue(ServeCommand.LogLevel)))
            .AddProvider(console));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var (clustered, backends) = await ClusterOptions.OpenAsync(parse, options, loggers, error, stop.Token).ConfigureAwait(false);
        await using var engines = backends;
        if (clustered is null)
        {
            return RuntimeError;
        }

        options = clustered;
        SmtpMockServer created;
        try
        {
            created = new SmtpMockServer(options, loggers);
        }
        catch (ScenarioException e)
        {
            await ScenarioProblems.WriteAsync(error, e.Problems).ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }
        catch (IOException e)
        {
            // The --store folder: MessageDirectory's message names the folder and the reason.
            await error.WriteLineAsync($"smtpmock: {e.Message} (pick another --store folder)").ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        await using var server = created;
        if (TlsOptions.Export(parse, server) is { } exportProblem)
        {
            await error.WriteLineAsync($"smtpmock: {exportProblem}").ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            // StartAsync binds --port first, then --tls-port: with the SMTP port bound, the TLS port is what failed.
            var (endPoint, flag) = IsListening(server) && options.ImplicitTlsPort is { } tlsPort
                ? (new IPEndPoint(options.EndPoint.Address, tlsPort), "--tls-port")
                : (options.EndPoint, "--port");
            await error.WriteLineAsync($"smtpmock: cannot listen on {endPoint}: {ListenFailure(e, flag)}").ConfigureAwait(false);
            return RuntimeError;
        }

        // The one "listening" line, on stdout: scripts wait for "listening on" and read smtp://HOST:PORT from it.
        var output = parse.InvocationConfiguration.Output;
        await output.WriteLineAsync($"SmtpMock {SmtpServerOptions.Version} listening on smtp://{server.EndPoint}{(server.TlsEndPoint is { } tls ? $" and smtps://{tls}" : string.Empty)} (Ctrl+C to stop)").ConfigureAwait(false);
        foreach (var line in SecuritySummary.Smtp(options, server, parse.GetValue(TlsOptions.ExportCertificate)?.FullName))
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        for (var i = 0; i < options.ScenarioListeners.Count; i++)
        {
            await output.WriteLineAsync($"Scenario '{options.ScenarioListeners[i].Scenario}' on smtp://{server.ScenarioEndPoints[i]}").ConfigureAwait(false);
        }

        if (options.BounceTo is { } bounceTo)
        {
            await output.WriteLineAsync($"Bounces, auto-replies and complaints are also delivered to smtp://{bounceTo}").ConfigureAwait(false);
        }

        if (ClusterOptions.Summary(options, engines) is { } clusterLine)
        {
            await output.WriteLineAsync(clusterLine).ConfigureAwait(false);
        }

        if (ProxyOptions.Summary(options) is { } proxyLine)
        {
            await output.WriteLineAsync(proxyLine).ConfigureAwait(false);
        }

        await using var control = http is null ? null : await HttpOptions.StartAsync(parse, http, server, loggers, cancellationToken).ConfigureAwait(false);
        if (http is not null && control is null)
        {
            return RuntimeError;
        }

        await using var mailpit = await MailpitOptions.StartAsync(parse, http, control, server, loggers, cancellationToken).ConfigureAwait(false);
        if (parse.GetValue(MailpitOptions.Port) is not null && mailpit is null)
        {
            return RuntimeError;
        }

        var (mailhog, mailhogFailed) = await MailHogOptions.StartAsync(parse, http, control, server, cancellationToken).ConfigureAwait(false);
        await using var mailhogDisposal = mailhog;
        if (mailhogFailed)
        {
            return RuntimeError;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C, SIGTERM or the caller: shut down cleanly.
        }

        await server.StopAsync().ConfigureAwait(false);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static string ListenFailure(SocketException e, string flag) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => $"address already in use (is another smtpmock running? pick another {flag})",
        SocketError.AccessDenied => $"permission denied (ports below 1024 need privileges; pick another {flag})",
        SocketError.AddressNotAvailable => "no such address on this machine (pick another --host)",
        _ => $"{e.Message} (pick another --host or {flag})",
    };

    private static bool IsListening(SmtpMockServer server)
    {
        try
        {
            _ = server.EndPoint;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static LogLevel ToLogLevel(LogLevelName name) => name switch
    {
        LogLevelName.Debug => Microsoft.Extensions.Logging.LogLevel.Debug,
        LogLevelName.Warning => Microsoft.Extensions.Logging.LogLevel.Warning,
        LogLevelName.Error => Microsoft.Extensions.Logging.LogLevel.Error,
        _ => Microsoft.Extensions.Logging.LogLevel.Information,
    };
}
