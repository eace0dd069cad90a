using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.PostgreSql;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>A fresh database on a running engine for each test, and backends opened on it the way the CLI will open them.</summary>
internal static class Databases
{
    /// <summary>Creates an empty database and returns its <c>postgresql://</c> URI.</summary>
    public static async Task<string> CreateAsync(PostgresEngine engine)
    {
        var name = "t" + RandomNumberGenerator.GetHexString(12, lowercase: true);
        await using (var source = engine.CreateDataSource())
        {
            await using var command = source.CreateCommand($"CREATE DATABASE {name}");
            await command.ExecuteNonQueryAsync();
        }

        return engine.Uri[..(engine.Uri.LastIndexOf('/') + 1)] + name;
    }

    public static Task<PostgresBackend> OpenAsync(string uri, int maxMessages = 1000, long maxBytes = 512L * 1024 * 1024, int maxSessions = 1000) =>
        PostgresBackend.OpenAsync(PostgresStoreSettings.Parse(uri, null), maxMessages, maxBytes, maxSessions, NullLoggerFactory.Instance, CancellationToken.None);
}
