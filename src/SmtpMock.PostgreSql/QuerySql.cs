using System.Globalization;
using System.Text;
using Npgsql;
using SmtpMock.Server.Capture;

namespace SmtpMock.PostgreSql;

/// <summary>
/// A <see cref="MessageQuery"/>'s terms as a SQL condition with the same meaning as <see cref="QueryMatcher"/> (a text
/// field holds a substring in any case; a term on a missing value does not hold, so its negation does). Every value
/// is a parameter; only column names and fixed SQL are written into the text.
/// </summary>
internal sealed class QuerySql
{
    private readonly StringBuilder _where = new("TRUE");

    private QuerySql()
    {
    }

    public List<NpgsqlParameter> Parameters { get; } = [];

    /// <summary>The condition, to follow <c>WHERE</c>.</summary>
    public string Where => _where.ToString();

    /// <summary>The terms of <paramref name="query"/>; with <paramref name="keyset"/>, also "after the cursor" in the query's order.</summary>
    public static QuerySql Of(MessageQuery query, bool keyset)
    {
        var sql = new QuerySql();
        foreach (var term in query.Terms)
        {
            var condition = sql.Condition(term);
            // In a WHERE a condition that is NULL drops the row as false does, so only a negation needs the coalesce;
            // a bare condition lets the planner use an index (coalesce(recipients ILIKE ..., false) cannot use the
            // recipients trigram index and read the whole table: 3.9 s at 1,000,000 messages, docs/performance.md).
            sql._where.Append(" AND ").Append(term.Negated ? $"NOT coalesce({condition}, false)" : $"({condition})");
        }

        if (keyset && query.After is { } after)
        {
            var cursor = sql.Add(after);
            sql._where.Append(" AND (received_at, id) ").Append(query.OldestFirst ? '>' : '<')
                .Append(" (SELECT received_at, id FROM smtpmock_messages WHERE id = ").Append(cursor).Append(')');
        }

        return sql;
    }

    /// <summary>The parameter's placeholder for a value.</summary>
    private string Add<T>(T value)
    {
        var name = "p" + Parameters.Count.ToString(CultureInfo.InvariantCulture);
        Parameters.Add(new NpgsqlParameter<T>(name, value));
        return "@" + name;
    }

    /// <summary>A LIKE pattern holding <paramref name="part"/> anywhere, its wildcards taken literally.</summary>
    private string Like(string part) =>
        Add(EnvelopeJson.Clean("%" + part.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%")!);

    private string Condition(QueryTerm term)
    {
        var value = term.Value;
        return term.Field switch
        {
            QueryField.Text => Any(Like(value), "sender", "recipients", "subject"),
            QueryField.Sender => $"sender ILIKE {Like(value)}",
            QueryField.Recipient => $"recipients ILIKE {Like(value)}",
            QueryField.From => Any(Like(value), "summary->'from'->>'name'", "summary->'from'->>'address'"),
            QueryField.To => Addresses("to", Like(value)),
            QueryField.Cc => Addresses("cc", Like(value)),
            QueryField.Bcc => Addresses("bcc", Like(value)),
            QueryField.ReplyTo => Addresses("replyTo", Like(value)),
            QueryField.Subject => $"subject ILIKE {Like(value)}",
            QueryField.MessageId => $"message_id ILIKE {Like(value.Trim('<', '>'))}",
            QueryField.Tag => $"tag_keys @> ARRAY[{Add(value.ToLowerInvariant())}]::text[]",
            QueryField.Read => $"read = {Add(IsTrue(value))}",
            QueryField.Attachment => $"(attachments > 0) = {Add(IsTrue(value))}",
            QueryField.Since => $"received_at >= {Add(Time(value))}",
            QueryField.Before => $"received_at < {Add(Time(value))}",
            QueryField.Body => $"body_text ILIKE {Like(value)}",
            QueryField.User => $"auth_user = {Add(value)}",
            QueryField.Tls => $"(tls IS NOT NULL) = {Add(IsTrue(value))}",
            QueryField.Mechanism => $"lower(auth_mechanism) = lower({Add(value)})",
            QueryField.Authenticated => $"(auth_user IS NOT NULL) = {Add(IsTrue(value))}",
            QueryField.Id => $"id = {Add(value)}",
            QueryField.Content => $"search_text ILIKE {Like(SearchText.Spaced(value))}",
            QueryField.Addressed => AnyAddress(Like(value)),
            QueryField.Tagged => $"(cardinality(tags) > 0) = {Add(IsTrue(value))}",
            QueryField.Larger => $"size > {Add(long.Parse(value, CultureInfo.InvariantCulture))}",
            QueryField.Smaller => $"size < {Add(long.Parse(value, CultureInfo.InvariantCulture))}",

            // raw_text is kept only for content convert_from cannot decode (RawText); COALESCE decodes the rest.
            QueryField.Raw => $"coalesce(raw_text, convert_from(content, 'UTF8')) ILIKE {Like(value)}",
            QueryField.GeneratedFrom => $"origin_id = {Add(value)}",
            _ => "false",
        };
    }

    private static string Any(string pattern, params string[] columns) => "(" + string.Join(" OR ", columns.Select(c => $"{c} ILIKE {pattern}")) + ")";

    private static string Addresses(string key, string pattern) =>
        $"EXISTS (SELECT 1 FROM jsonb_array_elements(summary->'{key}') a WHERE {Any(pattern, "a->>'name'", "a->>'address'")})";

    /// <summary>From (name or address) or any address of To, Cc, Bcc, Reply-To: a missing From is false, not unknown.</summary>
    private static string AnyAddress(string pattern) =>
        $"(coalesce({Any(pattern, "summary->'from'->>'name'", "summary->'from'->>'address'")}, false) OR "
        + string.Join(" OR ", new[] { "to", "cc", "bcc", "replyTo" }.Select(key => Addresses(key, pattern))) + ")";

    private static bool IsTrue(string value) => value.Equals("true", StringComparison.OrdinalIgnoreCase);

    /// <summary>As the memory store reads a time: ISO 8601, UTC when no offset is given.</summary>
    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
