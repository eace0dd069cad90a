using System.Net.Sockets;
using Npgsql;

namespace SmtpMock.PostgreSql;

/// <summary>What counts as the database being away, and how to say why in one line.</summary>
internal static class Failures
{
    /// <summary>A failure of the database or the way to it (refused, reset, timed out, shutting down), not of our code.</summary>
    public static bool IsDatabase(Exception e) => e is NpgsqlException or SocketException or TimeoutException or EndOfStreamException;

    /// <summary>The reason, the server's own text when it gave one.</summary>
    public static string Reason(Exception e) => e switch
    {
        PostgresException p => $"{p.MessageText} (SQLSTATE {p.SqlState})",
        NpgsqlException { InnerException: { } inner } => inner is NpgsqlException ? Reason(inner) : inner.Message,
        _ => e.Message,
    };

    /// <summary>A save that failed: the session answers 451 and the client tries again.</summary>
    public static IOException Save(string store, Exception e) => new($"{store}: the message was not stored: {Reason(e)}", e);

    /// <summary>Any other operation that failed: the API answers 503 naming the store.</summary>
    public static StoreUnavailableException Unavailable(string store, Exception e) => new($"{store} is unavailable: {Reason(e)}", e);

    /// <summary>
    /// Runs an operation, turning a database failure into <see cref="StoreUnavailableException"/>; after a lost
    /// connection the pool's idle connections are dropped too, so the next call opens a fresh one once the server is back.
    /// </summary>
    public static async ValueTask<T> GuardAsync<T>(NpgsqlDataSource dataSource, string store, Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (IsDatabase(e))
        {
            Forget(dataSource, e);
            throw Unavailable(store, e);
        }
    }

    /// <summary>Drops idle pooled connections after a failure that was not the server answering with an error.</summary>
    public static void Forget(NpgsqlDataSource dataSource, Exception e)
    {
        if (e is not PostgresException)
        {
            dataSource.Clear();
        }
    }
}
