using Npgsql;
using SmtpMock.Server.Capture;

namespace SmtpMock.PostgreSql;

/// <summary>
/// The read side of <see cref="PostgresMessageStore"/>: a page in one round trip (cursor check, count, rows), counts from
/// the totals row, tags, and a message's content when it is opened. Database failures are the caller's to translate.
/// </summary>
internal sealed class MessageReads(NpgsqlDataSource dataSource, string description)
{
    private const string Table = "smtpmock_messages";

    private readonly NpgsqlDataSource _dataSource = dataSource;

    private string Description => description;

    /// <summary>One page of the query, newest first unless it asks otherwise, and how many match in all.</summary>
    public async Task<MessageResults> QueryAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM {Table} WHERE id = $1") { Parameters = { MessageRows.Text(query.After ?? string.Empty) } });
        var filter = QuerySql.Of(query, keyset: false);
        var count = new NpgsqlBatchCommand(query.Terms.Count == 0 ? "SELECT messages FROM smtpmock_message_totals" : $"SELECT count(*) FROM {Table} WHERE {filter.Where}");
        count.Parameters.AddAll(filter.Parameters);
        batch.BatchCommands.Add(count);
        var page = QuerySql.Of(query, keyset: true);
        var order = query.OldestFirst ? "received_at, id" : "received_at DESC, id DESC";
        var select = new NpgsqlBatchCommand($"SELECT {MessageRows.Columns} FROM {Table} WHERE {page.Where} ORDER BY {order} OFFSET @skip LIMIT @limit");
        select.Parameters.AddAll(page.Parameters);
        select.Parameters.Add(new NpgsqlParameter<int>("skip", Math.Max(0, query.Skip)));
        select.Parameters.Add(new NpgsqlParameter<long>("limit", query.Limit is { } limit ? (long)limit + 1 : long.MaxValue));
        batch.BatchCommands.Add(select);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (query.After is { } after && reader.GetInt64(0) == 0)
        {
            throw new ArgumentException($"the cursor {after} is not a listed message any more (deleted or evicted): list again from the start", nameof(query));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var matched = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var items = await MessageRows.ReadAllAsync(reader, OpenContent, cancellationToken).ConfigureAwait(false);
        string? next = null;
        if (query.Limit is { } size && items.Count > size)
        {
            items.RemoveAt(items.Count - 1);
            next = items.Count > 0 ? items[^1].Id : null;
        }

        return new MessageResults(items, matched, next);
    }

    public async Task<StoreCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT messages, unread FROM smtpmock_message_totals");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StoreCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<IReadOnlyList<TagCount>> TagsAsync(CancellationToken cancellationToken)
    {
        // The first spelling in the order messages arrived, as the memory store keeps it.
        await using var command = _dataSource.CreateCommand(
            $"SELECT (array_agg(t ORDER BY received_at, id, n))[1], count(*) FROM {Table}, unnest(tags) WITH ORDINALITY AS u(t, n) GROUP BY lower(t)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new List<TagCount>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new TagCount(reader.GetString(0), reader.GetInt64(1)));
        }

        IReadOnlyList<TagCount> sorted = [.. counts.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
        return sorted;
    }

    public async Task<List<CapturedMessage>> SelectAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {MessageRows.Columns} FROM {Table} WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await MessageRows.ReadAllAsync(reader, OpenContent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A message's bytes, read when someone opens its content (a <see cref="CapturedMessage"/> reads synchronously).</summary>
    public MemoryStream OpenContent(string id)
    {
        try
        {
            using var command = _dataSource.CreateCommand($"SELECT content FROM {Table} WHERE id = $1");
            command.Parameters.Add(MessageRows.Text(id));
            var content = command.ExecuteScalar() as byte[] ?? throw new IOException($"message {id} is no longer in {Description}");
            return new MemoryStream(content, writable: false);
        }
        catch (Exception e) when (Failures.IsDatabase(e))
        {
            Failures.Forget(_dataSource, e);
            throw Failures.Unavailable(Description, e);
        }
    }
}
