using Npgsql;
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
        return new MessageRow(envelope, bytes, file, size, parsed.Summary, parsed.BodyText, parsed.Tags, Searchable(parsed), raw);
    }

    /// <summary>The <c>search_text</c> column: the message's search text spaced as a Content term compares it.</summary>
    public static string Searchable(CapturedMessage message) => Server.Capture.SearchText.Spaced(Server.Capture.SearchText.Of(message));
}

/// <summary>The columns of <c>smtpmock_messages</c> as a <see cref="CapturedMessage"/>, and a row's insert.</summary>
internal static class MessageRows
{
    /// <summary>What a list reads: everything but the content and the body text.</summary>
    public const string Columns = "id, received_at, session_id, client, helo, envelope::text, tls, auth_user, auth_mechanism, summary::text, size, read, tags, origin_kind, origin_id";

    public const string Insert =
        "INSERT INTO smtpmock_messages (id, received_at, session_id, client, helo, sender, recipients, envelope, tls, auth_user, auth_mechanism, subject, message_id, summary, attachments, body_text, size, tags, tag_keys, content, search_text, raw_text, origin_kind, origin_id) "
        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)";

    /// <summary>The insert of one row; a spooled file's stream goes in <paramref name="opened"/> to be closed after.</summary>
    public static NpgsqlBatchCommand InsertCommand(MessageRow row, List<Stream> opened)
    {
        var e = row.Envelope;
        object content;
        if (row.File is { } file)
        {
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            opened.Add(stream);
            content = stream;
        }
        else
        {
            content = row.Bytes!;
        }

        var command = new NpgsqlBatchCommand(Insert);
        command.Parameters.Add(new NpgsqlParameter<string>() { TypedValue = e.Id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>() { TypedValue = e.ReceivedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<long>() { TypedValue = e.SessionId });
        command.Parameters.Add(Text(e.Client));
        command.Parameters.Add(Text(e.HeloName));
        command.Parameters.Add(Text(e.Sender.Address));
        command.Parameters.Add(Text(string.Join('\n', e.Recipients.Select(r => r.Address))));
        command.Parameters.Add(Text(EnvelopeJson.Envelope(e)));
        command.Parameters.Add(Text(e.Tls));
        command.Parameters.Add(Text(e.AuthenticatedUser));
        command.Parameters.Add(Text(e.AuthMechanism));
        command.Parameters.Add(Text(row.Summary.Subject));
        command.Parameters.Add(Text(row.Summary.MessageId));
        command.Parameters.Add(Text(EnvelopeJson.Summary(row.Summary)));
        command.Parameters.Add(new NpgsqlParameter<int>() { TypedValue = row.Summary.Attachments });
        command.Parameters.Add(Text(row.BodyText));
        command.Parameters.Add(new NpgsqlParameter<long>() { TypedValue = row.Size });
        command.Parameters.Add(new NpgsqlParameter<string[]>() { TypedValue = [.. row.Tags] });
        command.Parameters.Add(new NpgsqlParameter<string[]>() { TypedValue = Keys(row.Tags) });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea, Value = content });
        command.Parameters.Add(Text(row.SearchText));
        command.Parameters.Add(Text(row.RawText));
        command.Parameters.Add(Text(e.Origin?.Kind));
        command.Parameters.Add(Text(e.Origin?.OriginalId));
        return command;
    }

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
