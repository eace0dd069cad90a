using System.Text;
using Npgsql;
using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>
/// The columns schema version 2 added for search: a Raw term over content PostgreSQL cannot decode as UTF-8 (kept as
/// text beside it, in memory or spooled), and a version 1 database whose old rows are filled in when it migrates.
/// </summary>
[TestFixture]
internal sealed class PostgresSearchColumnsTests : BackendFixture
{
    [Test]
    public async Task Content_that_is_not_utf8_or_holds_nul_is_searched_raw_like_any_other()
    {
        var store = (await OpenAsync(await Databases.CreateAsync(Engine))).Messages;
        await SaveAsync(store, "plain", Encoding.UTF8.GetBytes("Subject: plain\r\n\r\nplain marker\r\n"));
        await SaveAsync(store, "latin", [.. Encoding.ASCII.GetBytes("Subject: caf"), 0xE9, .. Encoding.ASCII.GetBytes("\r\n\r\nlatin marker\r\n")]);
        await SaveAsync(store, "nul", Encoding.UTF8.GetBytes("Subject: nul\r\nX-Odd: a\0b\r\n\r\nnul marker\r\n"));
        var big = Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + new string('x', 5 * 1024 * 1024) + "\r\nbig marker ");
        await SaveAsync(store, "big", [.. big, 0xFF, 0x0D, 0x0A]);

        Assert.That(await Raw(store, "MARKER"), Is.EqualTo(new[] { "plain", "latin", "nul", "big" }), "no content makes the search fail");
        Assert.That(await Raw(store, "latin marker"), Is.EqualTo(new[] { "latin" }));
        Assert.That(await Raw(store, "caf\uFFFD"), Is.EqualTo(new[] { "latin" }), "a bad byte reads as U+FFFD, as .NET decodes it");
        Assert.That(await Raw(store, "x-odd: ab"), Is.EqualTo(new[] { "nul" }), "NUL is the one character PostgreSQL text cannot hold");
        Assert.That(await Raw(store, "big marker"), Is.EqualTo(new[] { "big" }), "a spooled message is decoded too");
    }

    [Test]
    public async Task A_version_1_database_migrates_and_its_messages_are_searched_by_content_and_raw()
    {
        var uri = await Databases.CreateAsync(Engine);
        await using (var first = await Databases.OpenAsync(uri))
        {
            await SaveAsync(first.Messages, "old", Encoding.UTF8.GetBytes("Subject: Quarterly\r\nCc: Audit Team <audit@example.test>\r\n\r\nNumbers\r\n  across lines\r\n"));
            await SaveAsync(first.Messages, "odd", [.. Encoding.ASCII.GetBytes("Subject: odd\r\n\r\nbad "), 0xC3, 0x28, .. Encoding.ASCII.GetBytes(" byte\r\n")]);
        }

        // As version 1 left it: none of version 2's columns nor version 3's index, and the version recorded as 1.
        await using (var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Engine.ConnectionString) { Database = uri[(uri.LastIndexOf('/') + 1)..] }.ConnectionString))
        {
            await using var older = source.CreateCommand(
                "DROP INDEX smtpmock_messages_origin; DROP INDEX smtpmock_messages_recipients; "
                + "ALTER TABLE smtpmock_messages DROP COLUMN search_text, DROP COLUMN raw_text, DROP COLUMN origin_kind, DROP COLUMN origin_id; "
                + "ALTER TABLE smtpmock_sessions DROP COLUMN scenario, DROP COLUMN scenario_chosen_by; "
                + "UPDATE smtpmock_schema SET version = 1");
            await older.ExecuteNonQueryAsync();
        }

        var store = (await OpenAsync(uri)).Messages;
        var found = await store.QueryAsync(new MessageQuery { Terms = [new QueryTerm(QueryField.Content, "a@example.test numbers across LINES")] }, CancellationToken.None);
        Assert.That(found.Items.Select(m => m.Id), Is.EqualTo(new[] { "old" }), "an old row's search text is filled in");
        Assert.That(await Raw(store, "bad \uFFFD( byte"), Is.EqualTo(new[] { "odd" }), "an old row that is not UTF-8 is kept as text");
        Assert.That(found.Items[0].Origin, Is.Null);
    }

    private static async Task<string[]> Raw(IMessageStore store, string value) =>
        [.. (await store.QueryAsync(new MessageQuery { Terms = [new QueryTerm(QueryField.Raw, value)], OldestFirst = true }, CancellationToken.None)).Items.Select(m => m.Id)];

    private static async Task SaveAsync(IMessageStore store, string id, byte[] content)
    {
        using var writer = store.CreateWriter();
        for (var offset = 0; offset < content.Length; offset += 8192)
        {
            var piece = content.AsSpan(offset, Math.Min(8192, content.Length - offset));
            piece.CopyTo(writer.GetSpan(piece.Length));
            writer.Advance(piece.Length);
        }

        var at = StoreMail.Start.AddSeconds((await store.CountAsync(CancellationToken.None)).Total);
        var envelope = new MessageEnvelope(id, 1, at, "127.0.0.1:40000", "client.example.test", new MailPath("a", "example.test", null), [], [new Recipient(new MailPath("b", "example.test", null), [])]);
        await store.SaveAsync(envelope, writer, CancellationToken.None);
    }
}
