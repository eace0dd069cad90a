using Microsoft.Extensions.Logging;
using Npgsql;

namespace SmtpMock.PostgreSql;

/// <summary>
/// The PostgreSQL backend of <c>--store postgresql://...</c>: one data source (one connection pool) for the message store
/// and the session archive, the schema created or migrated at start, and one LISTEN connection that carries every
/// instance's changes to both. Dispose it after the store and the archive are no longer used.
/// </summary>
public sealed class PostgresBackend : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ChangeFeed _feed;

    private PostgresBackend(NpgsqlDataSource dataSource, PostgresMessageStore messages, PostgresSessionArchive sessions, ChangeFeed feed)
    {
        _dataSource = dataSource;
        Messages = messages;
        Sessions = sessions;
        _feed = feed;
    }

    public PostgresMessageStore Messages { get; }

    public PostgresSessionArchive Sessions { get; }

    /// <summary>
    /// Connects, creates or migrates the schema, and starts listening for other instances' changes. A database that
    /// cannot be reached throws <see cref="StoreUnavailableException"/> ("cannot reach postgresql://user@host:port/db:
    /// reason"); one migrated by a newer smtpmock throws <see cref="StoreSchemaException"/>. Both messages are one line.
    /// </summary>
    public static async Task<PostgresBackend> OpenAsync(
        PostgresStoreSettings settings, int maxMessages, long maxBytes, int maxSessions, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var dataSource = new NpgsqlSlimDataSourceBuilder(settings.ConnectionString())
            .EnableArrays()
            .EnableTransportSecurity()
            .Build();
        try
        {
            try
            {
                await Schema.MigrateAsync(dataSource, settings.Redacted, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Failures.IsDatabase(e))
            {
                throw new StoreUnavailableException($"cannot reach {settings.Redacted}: {Failures.Reason(e)}", e);
            }

            var messages = new PostgresMessageStore(dataSource, settings.Description, maxMessages, maxBytes);
            var sessions = new PostgresSessionArchive(dataSource, settings.Description, maxSessions);
            var feed = new ChangeFeed(
                dataSource,
                [Notifications.Messages, Notifications.Sessions],
                (channel, payload) => channel == Notifications.Messages ? messages.OnNotificationAsync(payload) : sessions.OnNotificationAsync(payload),
                loggerFactory.CreateLogger<PostgresBackend>(),
                settings.Redacted);
            await feed.StartAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresBackend(dataSource, messages, sessions, feed);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _feed.DisposeAsync().ConfigureAwait(false);
        await Messages.DisposeAsync().ConfigureAwait(false);
        await Sessions.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
