using System.Security.Cryptography;
using Npgsql;
using SmtpMock.Server.Capture;

namespace SmtpMock.PostgreSql;

/// <summary>
/// Captured mail in PostgreSQL, shared by every instance pointed at the database: the envelope, the summary a list
/// and a search read, and the exact bytes, one row each. Saves go through a group commit (<see cref="SaveQueue"/>);
/// lists page by keyset on (received_at, id); every change is announced with NOTIFY, so each instance raises
/// <see cref="Changed"/> once for its own changes and once for the others'. A save that fails throws
/// <see cref="IOException"/> (the session answers 451); any other operation throws <see cref="StoreUnavailableException"/>.
/// </summary>
public sealed class PostgresMessageStore : IMessageStore
{
    private const string Table = "smtpmock_messages";
    private const string LockTotals = "SELECT 1 FROM smtpmock_message_totals FOR UPDATE";
    private const string LockAndReadTotals = "SELECT messages, octets FROM smtpmock_message_totals FOR UPDATE";

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxMessages;
    private readonly long _maxOctets;
    private readonly string _origin = RandomNumberGenerator.GetHexString(16, lowercase: true);
    private readonly SaveQueue _queue;
    private readonly MessageReads _reads;
    private long _total;

    internal PostgresMessageStore(NpgsqlDataSource dataSource, string description, int maxMessages, long maxOctets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOctets, 1);
        _dataSource = dataSource;
        Description = description;
        _maxMessages = maxMessages;
        _maxOctets = maxOctets;
        _queue = new SaveQueue(WriteAsync);
        _reads = new MessageReads(dataSource, description);
    }

    public string Description { get; }

    public long TotalCaptured => Interlocked.Read(ref _total);

    public event Action<StoreChange>? Changed;

    /// <summary>Content in pooled memory; past 4 MiB it spills to a private file in the temporary folder.</summary>
    public IMessageWriter CreateWriter() => new MessageContent(Path.GetTempPath());

    public async ValueTask<CapturedMessage> SaveAsync(MessageEnvelope envelope, IMessageWriter content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var spool = content as MessageContent ?? throw new ArgumentException("the content must come from this store's CreateWriter", nameof(content));
        if (spool.Failed)
        {
            throw new IOException("the spool file could not be written");
        }

        var (bytes, file, size) = spool.Take();
        MessageRow row;
        try
        {
            row = MessageRow.Of(envelope, bytes, file, size);

            // Not cancelled half-way: the batch may already be reading this message's spool file.
            await _queue.SaveAsync(row).ConfigureAwait(false);
        }
        catch (Exception e) when (Failures.IsDatabase(e))
        {
            throw Failures.Save(Description, e);
        }
        finally
        {
            if (file is not null)
            {
                File.Delete(file);
            }
        }

        Interlocked.Increment(ref _total);
        var message = new CapturedMessage(envelope, size, () => _reads.OpenContent(envelope.Id), row.Summary) { Tags = row.Tags };
        Changed?.Invoke(new StoreChange(StoreChangeKind.Added, message));
        return message;
    }

    public ValueTask<CapturedMessage?> GetAsync(string id, CancellationToken cancellationToken) => Guard(async () =>
    {
        var found = await _reads.SelectAsync([id], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    });

    public ValueTask<MessageResults> QueryAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Guard(() => _reads.QueryAsync(query, cancellationToken));
    }

    public ValueTask<StoreCounts> CountAsync(CancellationToken cancellationToken) => Guard(() => _reads.CountAsync(cancellationToken));

    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await DeleteAsync(MessageQuery.All.With(QueryField.Id, id), cancellationToken).ConfigureAwait(false) > 0;

    public ValueTask<long> DeleteAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var all = query.Terms.Count == 0;
        return Guard(async () =>
        {
            var filter = QuerySql.Of(query, keyset: false);
            var removed = await ChangeAsync(
                all ? $"DELETE FROM {Table} RETURNING id" : $"DELETE FROM {Table} WHERE {filter.Where} RETURNING id",
                filter.Parameters,
                async reader =>
                {
                    var ids = new List<string>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetString(0));
                    }

                    return ids;
                },
                ids => all ? Notifications.Commands(Notifications.Messages, _origin, 'C', []) : Notifications.Commands(Notifications.Messages, _origin, 'R', ids),
                announceNone: all,
                cancellationToken).ConfigureAwait(false);
            if (all)
            {
                Raise(new StoreChange(StoreChangeKind.Cleared));
            }
            else
            {
                removed.ForEach(id => Raise(new StoreChange(StoreChangeKind.Removed, Id: id)));
            }

            return (long)removed.Count;
        });
    }

    public ValueTask SetReadAsync(IReadOnlyCollection<string>? ids, bool read, CancellationToken cancellationToken) =>
        UpdateAsync($"read = @read WHERE read <> @read{(ids is null ? string.Empty : " AND id = ANY(@ids)")}", [new NpgsqlParameter<bool>("read", read), Ids(ids ?? [])], cancellationToken);

    public ValueTask SetTagsAsync(IReadOnlyCollection<string> ids, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var clean = MessageTags.Clean(tags);
        return UpdateAsync(
            "tags = @tags, tag_keys = @keys WHERE id = ANY(@ids)",
            [new NpgsqlParameter<string[]>("tags", [.. clean]), new NpgsqlParameter<string[]>("keys", MessageRows.Keys(clean)), Ids(ids)],
            cancellationToken);
    }

    public ValueTask<IReadOnlyList<TagCount>> TagsAsync(CancellationToken cancellationToken) => Guard(() => _reads.TagsAsync(cancellationToken));

    public async ValueTask DisposeAsync() => await _queue.DisposeAsync().ConfigureAwait(false);

    /// <summary>Another instance's change, from the notification feed: raised here once (this instance's own were raised already).</summary>
    internal async Task OnNotificationAsync(string payload)
    {
        if (Changed is null || Notifications.Read(payload, _origin) is not var (kind, ids))
        {
            return;
        }

        switch (kind)
        {
            case 'A' or 'U':
                var found = (await _reads.SelectAsync(ids, CancellationToken.None).ConfigureAwait(false)).ToDictionary(m => m.Id);
                foreach (var id in ids)
                {
                    if (found.TryGetValue(id, out var message))
                    {
                        Raise(new StoreChange(kind == 'A' ? StoreChangeKind.Added : StoreChangeKind.Updated, message));
                    }
                }

                break;
            case 'R':
                Array.ForEach(ids, id => Raise(new StoreChange(StoreChangeKind.Removed, Id: id)));
                break;
            case 'C':
                Raise(new StoreChange(StoreChangeKind.Cleared));
                break;
        }
    }

    /// <summary>
    /// One group-commit batch in one transaction and three round trips: the totals locked and read with the batch's
    /// announcement, the rows copied, retention and the commit (retention only adds a round trip when over a limit).
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<MessageRow> rows)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            long messages, octets;
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(LockAndReadTotals));
                foreach (var notify in Notifications.Commands(Notifications.Messages, _origin, 'A', rows.Select(r => r.Envelope.Id)))
                {
                    batch.BatchCommands.Add(notify);
                }

                await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
                await reader.ReadAsync().ConfigureAwait(false);
                (messages, octets) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            await MessageRows.CopyAsync(connection, rows).ConfigureAwait(false);

            // The totals row is locked, so the figures after the copy are these plus the batch's.
            await Retention.ApplyAsync(connection, transaction, _maxMessages, _maxOctets, (messages + rows.Count, octets + rows.Sum(r => r.Size))).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (Failures.IsDatabase(e))
        {
            Failures.Forget(_dataSource, e);
            throw;
        }
    }

    private ValueTask UpdateAsync(string set, NpgsqlParameter[] parameters, CancellationToken cancellationToken) => new(Guard(async () =>
    {
        var updated = await ChangeAsync(
            $"UPDATE {Table} SET {set} RETURNING {MessageRows.Columns}",
            parameters,
            reader => MessageRows.ReadAllAsync(reader, _reads.OpenContent, cancellationToken),
            messages => Notifications.Commands(Notifications.Messages, _origin, 'U', messages.Select(m => m.Id)),
            announceNone: false,
            cancellationToken).ConfigureAwait(false);
        updated.ForEach(m => Raise(new StoreChange(StoreChangeKind.Updated, m)));
        return true;
    }).AsTask());

    /// <summary>A change in one transaction, the totals locked first (the order every writer takes, so none deadlock), then announced.</summary>
    private async Task<List<T>> ChangeAsync<T>(
        string sql, IEnumerable<NpgsqlParameter> parameters, Func<NpgsqlDataReader, Task<List<T>>> read, Func<List<T>, IEnumerable<NpgsqlBatchCommand>> announce, bool announceNone, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var locking = new NpgsqlCommand(LockTotals, connection, transaction))
        {
            await locking.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        List<T> changed;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddAll(parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            changed = await read(reader).ConfigureAwait(false);
        }

        if (changed.Count > 0 || announceNone)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var notify in announce(changed))
            {
                batch.BatchCommands.Add(notify);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private static NpgsqlParameter<string[]> Ids(IReadOnlyCollection<string> ids) => new("ids", [.. ids]);

    private void Raise(StoreChange change) => Changed?.Invoke(change);

    private ValueTask<T> Guard<T>(Func<Task<T>> operation) => Failures.GuardAsync(_dataSource, Description, operation);
}
