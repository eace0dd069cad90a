using System.CommandLine;
using Microsoft.Extensions.Logging;
using SmtpMock.PostgreSql;
using SmtpMock.Redis;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// serve past one process (docs/scale-out.md): <c>--store postgresql://...</c> keeps mail and sessions in PostgreSQL,
/// <c>--state redis://...</c> keeps scenario state, the active scenario and live events in Redis, and
/// <c>--instance-id</c> names this instance among those sharing them. Opened before the server: an engine that cannot
/// be reached ends the start with one line naming it.
/// </summary>
internal static class ClusterOptions
{
    public static readonly Option<string?> State = new("--state")
    {
        Description = $"Keep scenario counters, keys, the active scenario and live events in Redis, shared by every instance pointed at it (password in the URI or {RedisSettings.PasswordVariable})",
        HelpName = "redis://HOST:PORT",
    };

    public static readonly Option<string?> InstanceId = new("--instance-id")
    {
        Description = "This instance's name in sessions, the API, the console and webhooks when several share a store or state (default: the host name)",
        HelpName = "NAME",
    };

    public static IEnumerable<Option> All => [State, InstanceId];

    /// <summary>
    /// Opens what the flags name and returns the options that use them, or writes one <c>smtpmock:</c> line and
    /// returns null. The backends are the caller's to dispose after the server.
    /// </summary>
    public static async Task<(SmtpServerOptions? Options, ClusterBackends Backends)> OpenAsync(
        ParseResult parse, SmtpServerOptions options, ILoggerFactory loggers, TextWriter error, CancellationToken cancellationToken)
    {
        var backends = new ClusterBackends();
        var store = parse.GetValue(ServeCommand.Store);
        var state = parse.GetValue(State);
        var shared = (store is not null && PostgresStoreSettings.IsPostgresUri(store)) || state is not null;
        var instance = parse.GetValue(InstanceId) ?? (shared ? Environment.MachineName : string.Empty);
        options = options with { InstanceId = instance };
        var flag = "--store";
        try
        {
            if (store is not null && PostgresStoreSettings.IsPostgresUri(store))
            {
                var settings = PostgresStoreSettings.Parse(store, Environment.GetEnvironmentVariable(PostgresStoreSettings.PasswordVariable));
                backends.Postgres = await PostgresBackend.OpenAsync(settings, options.MaxStoredMessages, options.MaxStoredBytes, options.MaxTranscripts, loggers, cancellationToken).ConfigureAwait(false);
                options = options with { MessageStore = backends.Postgres.Messages, SessionArchive = backends.Postgres.Sessions };
            }

            flag = "--state";
            if (state is not null)
            {
                backends.Redis = await RedisBackend.ConnectAsync(RedisSettings.Parse(state), instance, loggers, cancellationToken).ConfigureAwait(false);
                options = options with { ScenarioState = backends.Redis.State, EventBus = backends.Redis.Bus };
            }

            return (options, backends);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"smtpmock: {flag}: {e.Message}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreSchemaException or ScenarioStateUnavailableException)
        {
            await error.WriteLineAsync($"smtpmock: {e.Message}").ConfigureAwait(false);
        }

        await backends.DisposeAsync().ConfigureAwait(false);
        return (null, backends);
    }

    /// <summary>The console line naming where mail, sessions and state live, when any of it is shared.</summary>
    public static string? Summary(SmtpServerOptions options, ClusterBackends backends) =>
        backends.Postgres is null && backends.Redis is null
            ? null
            : $"Instance '{options.InstanceId}': mail and sessions in {backends.Postgres?.Messages.Description ?? "memory"}, scenario state and events in {backends.Redis?.Description ?? "memory"}";
}

/// <summary>The engines a serve run opened, disposed after its server.</summary>
internal sealed class ClusterBackends : IAsyncDisposable
{
    public PostgresBackend? Postgres { get; set; }

    public RedisBackend? Redis { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync().ConfigureAwait(false);
            Redis = null;
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync().ConfigureAwait(false);
            Postgres = null;
        }
    }
}
