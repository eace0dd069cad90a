using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>Runs the server until Ctrl+C or SIGTERM, then closes open sessions with 421 and exits 0.</summary>
internal static class ServeAction
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        if (!IPAddress.TryParse(parse.GetValue(ServeCommand.Host), out var address))
        {
            await error.WriteLineAsync($"smtpmock: --host '{parse.GetValue(ServeCommand.Host)}' is not an IP address (try 127.0.0.1 or 0.0.0.0)").ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        var port = parse.GetValue(ServeCommand.Port);
        if (port is < 0 or > 65535)
        {
            await error.WriteLineAsync($"smtpmock: --port {port} is outside 0-65535").ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        var baseOptions = new SmtpServerOptions
        {
            EndPoint = new IPEndPoint(address, port),
            Hostname = parse.GetValue(ServeCommand.Hostname)!,
            StoreDirectory = parse.GetValue(ServeCommand.Store)?.FullName,
            MaxMessageSize = parse.GetValue(ServeCommand.MaxMessageSize),
            MaxRecipients = parse.GetValue(ServeCommand.MaxRecipients),
            MaxCommandLineLength = parse.GetValue(ServeCommand.MaxLineLength),
            MaxDataLineLength = parse.GetValue(ServeCommand.MaxDataLineLength),
            CommandTimeout = TimeSpan.FromSeconds(parse.GetValue(ServeCommand.CommandTimeout)),
            DataTimeout = TimeSpan.FromSeconds(parse.GetValue(ServeCommand.DataTimeout)),
            MaxConnections = parse.GetValue(ServeCommand.MaxConnections),
            MaxBadCommands = parse.GetValue(ServeCommand.MaxBadCommands),
            MaxStoredMessages = parse.GetValue(ServeCommand.MaxMessages),
            StrictLineEndings = parse.GetValue(ServeCommand.StrictLineEndings),
            BareLineEndingsInData = parse.GetValue(ServeCommand.BareLineEndings),
            ScenarioPaths = parse.GetValue(ServeCommand.Scenario) ?? [],
            ActiveScenario = parse.GetValue(ServeCommand.ScenarioName),
        };

        var (options, tlsProblem) = TlsOptions.Apply(parse, baseOptions);
        if (tlsProblem is not null)
        {
            await error.WriteLineAsync($"smtpmock: {tlsProblem}").ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        var problems = options.Validate();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"smtpmock: {problem}").ConfigureAwait(false);
            }

            return SmtpMockCli.UsageError;
        }

        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(ToLogLevel(parse.GetValue(ServeCommand.LogLevel)))
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            }));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        SmtpMockServer created;
        try
        {
            created = new SmtpMockServer(options, loggers);
        }
        catch (ScenarioException e)
        {
            foreach (var problem in e.Problems)
            {
                await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
            }

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
            await error.WriteLineAsync($"smtpmock: cannot listen on {options.EndPoint}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await parse.InvocationConfiguration.Output.WriteLineAsync($"SmtpMock {SmtpServerOptions.Version} listening on smtp://{server.EndPoint}{(server.TlsEndPoint is { } tls ? $" and smtps://{tls}" : string.Empty)} (Ctrl+C to stop)").ConfigureAwait(false);
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

    private static LogLevel ToLogLevel(LogLevelName name) => name switch
    {
        LogLevelName.Debug => Microsoft.Extensions.Logging.LogLevel.Debug,
        LogLevelName.Warning => Microsoft.Extensions.Logging.LogLevel.Warning,
        LogLevelName.Error => Microsoft.Extensions.Logging.LogLevel.Error,
        _ => Microsoft.Extensions.Logging.LogLevel.Information,
    };
}
