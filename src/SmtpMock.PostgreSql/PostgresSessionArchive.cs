using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using SmtpMock.Server.History;

namespace SmtpMock.PostgreSql;

/// <summary>
/// Finished sessions in PostgreSQL, shared by every instance: each with its transcript (the rule of each reply) and
/// delivery attempts, the newest <c>maxSessions</c> kept (none with 0). Session ids come in blocks from one row that an UPDATE moves
/// forward, so two instances never get the same id. <see cref="Saved"/> is raised once per session on every instance
/// (its own directly, the others' through NOTIFY).
/// </summary>
public sealed class PostgresSessionArchive : ISessionArchive
{
    private const string Columns = "id, instance, client, started_at, ended_at, helo, commands, faults, end_reason, tls, auth_user, messages, attempts::text, line_count, scenario, scenario_chosen_by";

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxSessions;
    private readonly string _origin = RandomNumberGenerator.GetHexString(16, lowercase: true);

    internal PostgresSessionArchive(NpgsqlDataSource dataSource, string description, int maxSessions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSessions);
        _dataSource = dataSource;
        Description = description;
        _maxSessions = maxSessions;
    }

    public string Description { get; }

    public event Action<SessionRecord>? Saved;

    public ValueTask<long> ReserveIdsAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand("UPDATE smtpmock_session_ids SET next = next + $1 RETURNING next - $1");
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = count });
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        });
    }

    public async ValueTask SaveAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var lineCount = Math.Max(session.LineCount, session.Lines.Count);
        try
        {
            if (_maxSessions == 0)
            {
                // Keep none, as the memory history does with a limit of 0.
                Saved?.Invoke(session with { Lines = [], LineCount = lineCount });
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(Insert(session, lineCount));
            var retain = new NpgsqlBatchCommand("DELETE FROM smtpmock_sessions WHERE id IN (SELECT id FROM smtpmock_sessions ORDER BY started_at DESC, id DESC OFFSET $1)");
            retain.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _maxSessions });
            batch.BatchCommands.Add(retain);
            foreach (var notify in Notifications.Commands(Notifications.Sessions, _origin, 'S', [session.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                batch.BatchCommands.Add(notify);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Failures.IsDatabase(e))
        {
            Failures.Forget(_dataSource, e);
            throw Failures.Save(Description, e);
        }

        Saved?.Invoke(session with { Lines = [], LineCount = lineCount });
    }

    public async ValueTask<SessionRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var found = await SelectAsync("WHERE id = $1", [new NpgsqlParameter<long> { TypedValue = id }], withLines: true, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async ValueTask<IReadOnlyList<SessionRecord>> ListAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<NpgsqlParameter>();
        var where = "WHERE TRUE";
        if (query.Since is { } since)
        {
            parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since.ToUniversalTime() });
            where += $" AND started_at >= ${parameters.Count}";
        }

        if (query.HeloContains is { } helo)
        {
            parameters.Add(MessageRows.Text("%" + helo.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"));
            where += $" AND helo ILIKE ${parameters.Count}";
        }

        parameters.Add(new NpgsqlParameter<long> { TypedValue = query.Limit ?? long.MaxValue });
        return await SelectAsync($"{where} ORDER BY started_at DESC, id DESC LIMIT ${parameters.Count}", parameters, query.WithLines, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ClearAsync(CancellationToken cancellationToken) => await Guard(async () =>
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM smtpmock_sessions");
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }).ConfigureAwait(false);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Another instance's session, from the notification feed: read without its lines and raised once.</summary>
    internal async Task OnNotificationAsync(string payload)
    {
        if (Saved is null || Notifications.Read(payload, _origin) is not var (_, ids))
        {
            return;
        }

        var numbers = ids.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray();
        foreach (var session in await SelectAsync("WHERE id = ANY($1) ORDER BY id", [new NpgsqlParameter<long[]> { TypedValue = numbers }], withLines: false, CancellationToken.None).ConfigureAwait(false))
        {
            Saved?.Invoke(session);
        }
    }

    private static NpgsqlBatchCommand Insert(SessionRecord s, int lineCount)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO smtpmock_sessions (id, instance, client, started_at, ended_at, helo, commands, faults, end_reason, tls, auth_user, messages, attempts, line_count, lines, scenario, scenario_chosen_by) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15::jsonb, $16, $17) ON CONFLICT (id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = s.Id });
        command.Parameters.Add(MessageRows.Text(s.Instance));
        command.Parameters.Add(MessageRows.Text(s.Client));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = s.StartedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz, Value = s.EndedAt is { } ended ? ended.ToUniversalTime() : DBNull.Value });
        command.Parameters.Add(MessageRows.Text(s.HeloName));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = s.Commands });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = s.Faults });
        command.Parameters.Add(MessageRows.Text(s.EndReason));
        command.Parameters.Add(MessageRows.Text(s.Tls));
        command.Parameters.Add(MessageRows.Text(s.AuthenticatedUser));
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. s.Messages] });
        command.Parameters.Add(MessageRows.Text(SessionJson.Attempts(s.Attempts)));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = lineCount });
        command.Parameters.Add(MessageRows.Text(SessionJson.Lines(s.Lines)));
        command.Parameters.Add(MessageRows.Text(s.Scenario));
        command.Parameters.Add(MessageRows.Text(s.ScenarioChosenBy));
        return command;
    }

    private ValueTask<List<SessionRecord>> SelectAsync(string rest, IEnumerable<NpgsqlParameter> parameters, bool withLines, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var command = _dataSource.CreateCommand($"SELECT {Columns}, {(withLines ? "lines::text" : "'[]'")} AS lines FROM smtpmock_sessions {rest}");
        command.Parameters.AddAll(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var sessions = new List<SessionRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sessions.Add(new SessionRecord
            {
                Id = reader.GetInt64(0),
                Instance = reader.GetString(1),
                Client = reader.GetString(2),
                StartedAt = reader.GetFieldValue<DateTimeOffset>(3),
                EndedAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                HeloName = reader.IsDBNull(5) ? null : reader.GetString(5),
                Commands = reader.GetInt32(6),
                Faults = reader.GetInt32(7),
                EndReason = reader.IsDBNull(8) ? null : reader.GetString(8),
                Tls = reader.IsDBNull(9) ? null : reader.GetString(9),
                AuthenticatedUser = reader.IsDBNull(10) ? null : reader.GetString(10),
                Messages = reader.GetFieldValue<string[]>(11),
                Attempts = SessionJson.ReadAttempts(reader.GetString(12)),
                LineCount = reader.GetInt32(13),
                Scenario = reader.IsDBNull(14) ? null : reader.GetString(14),
                ScenarioChosenBy = reader.IsDBNull(15) ? null : reader.GetString(15),
                Lines = SessionJson.ReadLines(reader.GetString(16)),
            });
        }

        return sessions;
    });

    private ValueTask<T> Guard<T>(Func<Task<T>> operation) => Failures.GuardAsync(_dataSource, Description, operation);
}
