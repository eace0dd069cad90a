using Npgsql;

namespace SmtpMock.PostgreSql;

/// <summary>
/// <c>--max-messages</c> and the byte budget over the whole store, as the memory store applies them: the oldest go
/// first until both hold, and the newest message always stays. Run inside the inserting transaction (which holds the
/// totals row), so instances sharing the store never both evict for the same overflow.
/// </summary>
internal static class Retention
{
    /// <summary>A byte overflow deletes in steps of at most this many rows.</summary>
    private const int Step = 1000;

    private const string Oldest =
        """
        DELETE FROM smtpmock_messages m USING (
            SELECT id, row_number() OVER w AS n, sum(size) OVER w - size AS before
            FROM (SELECT id, size, received_at FROM smtpmock_messages ORDER BY received_at, id LIMIT $1) s
            WINDOW w AS (ORDER BY received_at, id)) o
        WHERE m.id = o.id AND (o.n <= $2 OR o.before < $3)
        """;

    /// <summary>Deletes the oldest until both limits hold; <paramref name="totals"/> are the store's figures now (read under the lock).</summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int maxMessages, long maxOctets, (long Messages, long Octets) totals)
    {
        while (true)
        {
            var (messages, octets) = totals;
            var overCount = messages - maxMessages;
            var overOctets = octets - maxOctets;
            if (messages <= 1 || (overCount <= 0 && overOctets <= 0))
            {
                return;
            }

            var cap = Math.Min(messages - 1, Math.Max(overCount, 0) + (overOctets > 0 ? Step : 0));
            await using var delete = new NpgsqlCommand(Oldest, connection, transaction)
            {
                Parameters =
                {
                    new NpgsqlParameter<long> { TypedValue = cap },
                    new NpgsqlParameter<long> { TypedValue = overCount },
                    new NpgsqlParameter<long> { TypedValue = overOctets },
                },
            };
            if (await delete.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
            {
                return;
            }

            totals = await TotalsAsync(connection, transaction).ConfigureAwait(false);
        }
    }

    private static async Task<(long Messages, long Octets)> TotalsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand("SELECT messages, octets FROM smtpmock_message_totals", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
