using Npgsql;

namespace SmtpMock.PostgreSql;

/// <summary>
/// Fills <c>search_text</c> and <c>raw_text</c> of the rows a version 1 database already held, in the migration's
/// transaction: both need the parsed content, which SQL cannot do, so each old row is read, parsed as at insert, and
/// written back in one UPDATE. Runs once, when migrating from version 1.
/// </summary>
internal static class SearchBackfill
{
    public static async Task RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var search = new List<string>();
        var raw = new List<string?>();
        await using (var select = new NpgsqlCommand($"SELECT {MessageRows.Columns}, content FROM smtpmock_messages WHERE search_text IS NULL", connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var content = reader.GetFieldValue<byte[]>(15);
                var message = MessageRows.Read(reader, _ => new MemoryStream(content, writable: false));
                ids.Add(message.Id);
                search.Add(EnvelopeJson.Clean(MessageRow.Searchable(message))!);
                raw.Add(RawText.Of(content));
            }
        }

        if (ids.Count == 0)
        {
            return;
        }

        await using var update = new NpgsqlCommand(
            "UPDATE smtpmock_messages m SET search_text = f.search, raw_text = f.raw FROM unnest($1::text[], $2::text[], $3::text[]) AS f(id, search, raw) WHERE m.id = f.id",
            connection);
        update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. search] });
        update.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. raw] });
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
