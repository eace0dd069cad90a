using Npgsql;
using NpgsqlTypes;
using SmtpMock.Server.Capture;

namespace SmtpMock.PostgreSql;

/// <summary>A message ready to be inserted: its envelope, content and what listing and search read, computed before the queue.</summary>
internal sealed record MessageRow(
    MessageEnvelope Envelope, byte[]? Bytes, string? File, long Size, ContentSummary Summary, string BodyText, IReadOnlyList<string> Tags, string SearchText, string? RawText)
{
    /// <summary>Summary, body text, tags and search text of the content, parsed once by MimeKit as the memory store would.</summary>
    public static MessageRow Of(MessageEnvelope envelope, byte[]? bytes, string? file, long size)
    {
        var parsed = envelope.ToMessage(bytes, file);
        var raw = file is null ? PostgreSql.RawText.Of(bytes) : PostgreSql.RawText.OfFile(file);
        var columns = Server.Capture.SearchText.Columns(parsed); // one MIME parse for the summary, the body and the search text
        return new MessageRow(envelope, bytes, file, size, columns.Summary, columns.BodyText, parsed.Tags, Server.Capture.SearchText.Spaced(columns.SearchText), raw);
    }

    /// <summary>The <c>search_text</c> column: the message's search text spaced as a Content term compares it.</summary>
    public static string Searchable(CapturedMessage message) => Server.Capture.SearchText.Spaced(Server.Capture.SearchText.Of(message));
}

/// <summary>The columns of <c>smtpmock_messages</c> as a <see cref="CapturedMessage"/>, and a batch's copy into it.</summary>
internal static class MessageRows
{
    /// <summary>What a list reads: everything but the content and the body text.</summary>
    public const string Columns = "id, received_at, session_id, client, helo, envelope::text, tls, auth_user, auth_mechanism, summary::text, size, read, tags, origin_kind, origin_id";

    /// <summary>The columns a batch copies, in the order <see cref="WriteRowAsync"/> writes them.</summary>
    public const string Copy =
        "COPY smtpmock_messages (id, received_at, session_id, client, helo, sender, recipients, envelope, tls, auth_user, auth_mechanism, subject, message_id, summary, attachments, body_text, size, tags, tag_keys, content, search_text, raw_text, origin_kind, origin_id) "
        + "FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// Every row of a batch in one <c>COPY ... FROM STDIN (FORMAT BINARY)</c>: one statement, so the totals trigger runs
    /// once per batch instead of once per row, and PostgreSQL parses and plans nothing per row.
    /// </summary>
    public static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<MessageRow> rows)
    {
        await using var importer = await connection.BeginBinaryImportAsync(Copy).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await WriteRowAsync(importer, row).ConfigureAwait(false);
        }

        await importer.CompleteAsync().ConfigureAwait(false);
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter importer, MessageRow row)
    {
        var e = row.Envelope;
        await importer.StartRowAsync().ConfigureAwait(false);
        await importer.WriteAsync(e.Id, NpgsqlDbType.Text).ConfigureAwait(false);
        await importer.WriteAsync(e.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz).ConfigureAwait(false);
        await importer.WriteAsync(e.SessionId, NpgsqlDbType.Bigint).ConfigureAwait(false);
        await TextAsync(importer, e.Client).ConfigureAwait(false);
        await TextAsync(importer, e.HeloName).ConfigureAwait(false);
        await TextAsync(importer, e.Sender.Address).ConfigureAwait(false);
        await TextAsync(importer, string.Join('\n', e.Recipients.Select(r => r.Address))).ConfigureAwait(false);
        await importer.WriteAsync(EnvelopeJson.Clean(EnvelopeJson.Envelope(e)), NpgsqlDbType.Jsonb).ConfigureAwait(false);
        await TextAsync(importer, e.Tls).ConfigureAwait(false);
        await TextAsync(importer, e.AuthenticatedUser).ConfigureAwait(false);
        await TextAsync(importer, e.AuthMechanism).ConfigureAwait(false);
        await TextAsync(importer, row.Summary.Subject).ConfigureAwait(false);
        await TextAsync(importer, row.Summary.MessageId).ConfigureAwait(false);
        await importer.WriteAsync(EnvelopeJson.Clean(EnvelopeJson.Summary(row.Summary)), NpgsqlDbType.Jsonb).ConfigureAwait(false);
        await importer.WriteAsync(row.Summary.Attachments, NpgsqlDbType.Integer).ConfigureAwait(false);
        await TextAsync(importer, row.BodyText).ConfigureAwait(false);
        await importer.WriteAsync(row.Size, NpgsqlDbType.Bigint).ConfigureAwait(false);
        await importer.WriteAsync<string[]>([.. row.Tags], NpgsqlDbType.Array | NpgsqlDbType.Text).ConfigureAwait(false);
        await importer.WriteAsync(Keys(row.Tags), NpgsqlDbType.Array | NpgsqlDbType.Text).ConfigureAwait(false);
        if (row.File is { } file)
        {
            // A spooled message (past 4 MiB) streams from its file; the batch holds one such at a time.
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            await importer.WriteAsync<Stream>(stream, NpgsqlDbType.Bytea).ConfigureAwait(false);
        }
        else
        {
            await importer.WriteAsync(row.Bytes!, NpgsqlDbType.Bytea).ConfigureAwait(false);
        }

        await TextAsync(importer, row.SearchText).ConfigureAwait(false);
        await TextAsync(importer, row.RawText).ConfigureAwait(false);
        await TextAsync(importer, e.Origin?.Kind).ConfigureAwait(false);
        await TextAsync(importer, e.Origin?.OriginalId).ConfigureAwait(false);
    }

    /// <summary>A text column: NULL for null, NUL characters removed (PostgreSQL's text cannot hold them).</summary>
    private static Task TextAsync(NpgsqlBinaryImporter importer, string? value) =>
        EnvelopeJson.Clean(value) is { } text ? importer.WriteAsync(text, NpgsqlDbType.Text) : importer.WriteNullAsync();

    /// <summary>Tags as the index holds them: lowercase, so a tag term matches in any case.</summary>
    public static string[] Keys(IEnumerable<string> tags) => [.. tags.Select(t => t.ToLowerInvariant())];

    /// <summary>The message at the reader's row (selected with <see cref="Columns"/>); its content is read on demand.</summary>
    public static CapturedMessage Read(NpgsqlDataReader reader, Func<string, Stream> openContent)
    {
        var id = reader.GetString(0);
        var (sender, parameters, recipients) = EnvelopeJson.ReadEnvelope(reader.GetString(5));
        var envelope = new MessageEnvelope(id, reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(3), reader.GetString(4), sender, parameters, recipients)
        {
            Tls = NullableText(reader, 6),
            AuthenticatedUser = NullableText(reader, 7),
            AuthMechanism = NullableText(reader, 8),
            Origin = reader.IsDBNull(14) ? null : new MessageOrigin(NullableText(reader, 13) ?? string.Empty, reader.GetString(14)),
        };
        return new CapturedMessage(envelope, reader.GetInt64(10), () => openContent(id), EnvelopeJson.ReadSummary(reader.GetString(9)))
        {
            Read = reader.GetBoolean(11),
            Tags = reader.GetFieldValue<string[]>(12),
        };
    }

    /// <summary>Every message the reader returns.</summary>
    public static async Task<List<CapturedMessage>> ReadAllAsync(NpgsqlDataReader reader, Func<string, Stream> openContent, CancellationToken cancellationToken)
    {
        var messages = new List<CapturedMessage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(Read(reader, openContent));
        }

        return messages;
    }

    /// <summary>Adds each parameter (the collection's own AddRange takes an untyped array).</summary>
    public static void AddAll(this NpgsqlParameterCollection collection, IEnumerable<NpgsqlParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            collection.Add(parameter);
        }
    }

    public static NpgsqlParameter<string> Text(string? value) => new() { TypedValue = EnvelopeJson.Clean(value), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static string? NullableText(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
