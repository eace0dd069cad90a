using Npgsql;

namespace SmtpMock.PostgreSql;

/// <summary>
/// The tables, created and migrated at start in one transaction under an advisory lock, so several instances starting
/// at once migrate once and the others wait, then see the result. <c>smtpmock_schema</c> holds the version; a database
/// newer than this binary is refused. Migration N is <see cref="Migrations"/>[N - 1]: a new version appends one.
/// </summary>
internal static class Schema
{
    /// <summary>The version this binary writes and reads.</summary>
    public const int Current = 3;

    /// <summary>The advisory lock key of migrations (any constant; "smtpmock" in ASCII, truncated).</summary>
    private const long LockKey = 0x736d74706d6f636b;

    private static readonly string[][] Migrations =
    [
        [
            """
            CREATE TABLE smtpmock_messages (
                id text PRIMARY KEY,
                received_at timestamptz NOT NULL,
                session_id bigint NOT NULL,
                client text NOT NULL,
                helo text NOT NULL,
                sender text NOT NULL,
                recipients text NOT NULL,
                envelope jsonb NOT NULL,
                tls text,
                auth_user text,
                auth_mechanism text,
                subject text,
                message_id text,
                summary jsonb NOT NULL,
                attachments integer NOT NULL,
                body_text text NOT NULL,
                size bigint NOT NULL,
                read boolean NOT NULL DEFAULT false,
                tags text[] NOT NULL,
                tag_keys text[] NOT NULL,
                content bytea NOT NULL)
            """,
            "ALTER TABLE smtpmock_messages ALTER COLUMN content SET STORAGE EXTERNAL",
            "CREATE INDEX smtpmock_messages_newest ON smtpmock_messages (received_at DESC, id DESC)",
            "CREATE INDEX smtpmock_messages_tags ON smtpmock_messages USING gin (tag_keys)",
            "CREATE INDEX smtpmock_messages_sender ON smtpmock_messages (lower(sender))",
            // How many messages, octets and unread ones: kept by statement triggers so a count, the retention check and the
            // unread badge never scan the table.
            "CREATE TABLE smtpmock_message_totals (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), messages bigint NOT NULL, octets bigint NOT NULL, unread bigint NOT NULL)",
            "INSERT INTO smtpmock_message_totals (messages, octets, unread) VALUES (0, 0, 0)",
            """
            CREATE FUNCTION smtpmock_totals_added() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE smtpmock_message_totals SET messages = messages + n.c, octets = octets + n.s, unread = unread + n.u
                FROM (SELECT count(*) AS c, coalesce(sum(size), 0) AS s, count(*) FILTER (WHERE NOT read) AS u FROM added) n;
                RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION smtpmock_totals_removed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE smtpmock_message_totals SET messages = messages - n.c, octets = octets - n.s, unread = unread - n.u
                FROM (SELECT count(*) AS c, coalesce(sum(size), 0) AS s, count(*) FILTER (WHERE NOT read) AS u FROM removed) n;
                RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION smtpmock_totals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE smtpmock_message_totals SET unread = unread
                    + (SELECT count(*) FILTER (WHERE NOT read) FROM changed) - (SELECT count(*) FILTER (WHERE NOT read) FROM was);
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER smtpmock_messages_added AFTER INSERT ON smtpmock_messages REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION smtpmock_totals_added()",
            "CREATE TRIGGER smtpmock_messages_removed AFTER DELETE ON smtpmock_messages REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION smtpmock_totals_removed()",
            "CREATE TRIGGER smtpmock_messages_changed AFTER UPDATE ON smtpmock_messages REFERENCING OLD TABLE AS was NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION smtpmock_totals_changed()",
            """
            CREATE TABLE smtpmock_sessions (
                id bigint PRIMARY KEY,
                instance text NOT NULL,
                client text NOT NULL,
                started_at timestamptz NOT NULL,
                ended_at timestamptz,
                helo text,
                commands integer NOT NULL,
                faults integer NOT NULL,
                end_reason text,
                tls text,
                auth_user text,
                messages text[] NOT NULL,
                attempts jsonb NOT NULL,
                line_count integer NOT NULL,
                lines jsonb NOT NULL)
            """,
            "CREATE INDEX smtpmock_sessions_newest ON smtpmock_sessions (started_at DESC, id DESC)",
            // Session ids handed out in blocks: one row, moved forward by an UPDATE whose row lock makes each block
            // consecutive and whole (nextval then setval on a sequence could interleave two instances' blocks).
            "CREATE TABLE smtpmock_session_ids (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), next bigint NOT NULL)",
            "INSERT INTO smtpmock_session_ids (next) VALUES (1)",
        ],
        [
            // What a Mailpit word search (QueryField.Content) reads: SearchText.Spaced(SearchText.Of(message)), computed
            // at insert because it needs the parsed content. Rows of version 1 are filled by Backfill after this.
            "ALTER TABLE smtpmock_messages ADD COLUMN search_text text",
            // The raw content as text for QueryField.Raw, kept only when the content is not valid UTF-8 or holds NUL
            // (decoded as .NET decodes it, U+FFFD for bad bytes, NUL removed); otherwise NULL and a Raw term decodes
            // the content itself with convert_from. Costs: no extra storage for ordinary mail, but a Raw term reads and
            // decodes every candidate row's content (a sequential scan, detoasting each; no index can help a substring
            // in any case of the raw bytes).
            "ALTER TABLE smtpmock_messages ADD COLUMN raw_text text",
            // A generated message's origin (MessageOrigin): what it is and the id of the message it is about.
            "ALTER TABLE smtpmock_messages ADD COLUMN origin_kind text",
            "ALTER TABLE smtpmock_messages ADD COLUMN origin_id text",
            "CREATE INDEX smtpmock_messages_origin ON smtpmock_messages (origin_id) WHERE origin_id IS NOT NULL",
            "ALTER TABLE smtpmock_sessions ADD COLUMN scenario text",
            "ALTER TABLE smtpmock_sessions ADD COLUMN scenario_chosen_by text",
        ],
        [
            // A search by recipient (QueryField.Recipient, the API's ?to=) is a substring in any case: only a trigram
            // index can serve it, else every search reads the whole table. pg_trgm is
            // a trusted extension in PostgreSQL's own contrib (any database owner may create it); where it cannot be
            // created the store still works and such a search scans, as before.
            """
            DO $$
            BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
            EXCEPTION WHEN OTHERS THEN
                RAISE NOTICE 'smtpmock: pg_trgm unavailable (%), searches by recipient read the whole table', SQLERRM;
            END $$
            """,
            """
            DO $$
            DECLARE trgm name := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm');
            BEGIN
                IF trgm IS NOT NULL THEN
                    EXECUTE format('CREATE INDEX smtpmock_messages_recipients ON smtpmock_messages USING gin (recipients %I.gin_trgm_ops)', trgm);
                END IF;
            END $$
            """,
        ],
    ];

    /// <summary>Creates or migrates the schema to <see cref="Current"/>, or refuses a newer one.</summary>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string store, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS smtpmock_schema (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        await using var read = new NpgsqlCommand("SELECT max(version) FROM smtpmock_schema", connection);
        var found = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
        if (found > Current)
        {
            throw new StoreSchemaException(
                $"{store} has schema version {found}, newer than this smtpmock's {Current}: run the newer smtpmock that migrated it, or point --store at another database");
        }

        for (var version = found + 1; version <= Current; version++)
        {
            foreach (var statement in Migrations[version - 1])
            {
                await ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
            }
        }

        if (found is > 0 and < 2)
        {
            await SearchBackfill.RunAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        if (found < Current)
        {
            await ExecuteAsync(connection, "DELETE FROM smtpmock_schema", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"INSERT INTO smtpmock_schema (version) VALUES ({Current})", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
