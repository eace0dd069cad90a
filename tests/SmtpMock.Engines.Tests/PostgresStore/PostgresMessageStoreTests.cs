using Npgsql;
using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.PostgreSql;
using SmtpMock.Server.Capture;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>What only a shared store does: several instances on one database, outages, schema versions, retention over all of it.</summary>
[TestFixture]
internal sealed class PostgresMessageStoreTests : BackendFixture
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    [Test]
    public async Task A_message_saved_by_one_instance_is_listed_by_another_and_announced_there_once()
    {
        var uri = await Databases.CreateAsync(Engine);
        var a = await OpenAsync(uri);
        var b = await OpenAsync(uri);
        var seenByA = Record(a.Messages);
        var seenByB = Record(b.Messages);

        await StoreMail.SaveAsync(a.Messages, "from-a", StoreMail.Start);

        var listed = await b.Messages.QueryAsync(new MessageQuery { Limit = 10 }, CancellationToken.None);
        Assert.That(listed.Items.Select(m => m.Id), Is.EqualTo(new[] { "from-a" }));
        Assert.That(listed.Items[0].Summary.Subject, Is.EqualTo("from-a"));
        await Poll.UntilAsync(() => Count(seenByB) == 1, Deadline, "B announces A's message");

        // A second change proves the first was not announced twice (notifications arrive in order).
        await b.Messages.SetReadAsync(["from-a"], read: true, CancellationToken.None);
        await Poll.UntilAsync(() => Count(seenByA) == 2, Deadline, "A announces B's read mark");
        lock (seenByB)
        {
            Assert.That(seenByB.Select(c => (c.Kind, c.Message?.Id)), Is.EqualTo(new[] { (StoreChangeKind.Added, (string?)"from-a"), (StoreChangeKind.Updated, "from-a") }));
        }

        lock (seenByA)
        {
            Assert.That(seenByA.Select(c => (c.Kind, c.Message?.Id, c.Message?.Read)), Is.EqualTo(new[] { (StoreChangeKind.Added, (string?)"from-a", (bool?)false), (StoreChangeKind.Updated, "from-a", true) }));
        }

        Assert.That(a.Messages.TotalCaptured, Is.EqualTo(1));
        Assert.That(b.Messages.TotalCaptured, Is.Zero, "TotalCaptured counts what this process saved");
    }

    [Test]
    public async Task During_an_outage_a_save_fails_with_IOException_and_after_it_saves_work_again_without_reopening()
    {
        var uri = await Databases.CreateAsync(Engine);
        var store = (await OpenAsync(uri)).Messages;
        var other = (await OpenAsync(uri)).Messages;
        await StoreMail.SaveAsync(store, "before", StoreMail.Start);

        await Engine.KillAsync();

        var refused = await Assert.ThrowsAsync<IOException>(() => StoreMail.SaveAsync(store, "during", StoreMail.Start.AddSeconds(1)));
        Assert.That(refused!.Message, Does.StartWith(store.Description).And.Contain("not stored"));
        var unavailable = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.CountAsync(CancellationToken.None));
        Assert.That(unavailable!.Message, Does.Contain(store.Description).And.Not.Contain(Engine.Password));

        await Engine.StartAgainAsync();

        await StoreMail.SaveAsync(store, "after", StoreMail.Start.AddSeconds(2));
        var kept = await store.QueryAsync(MessageQuery.All, CancellationToken.None);
        Assert.That(kept.Items.Select(m => m.Id), Is.EqualTo(new[] { "after", "before" }), "nothing half-saved during the outage");

        // The notification connection comes back by itself: another instance's save is announced again.
        var seen = Record(store);
        await Poll.UntilAsync(
            async _ =>
            {
                await StoreMail.SaveAsync(other, "ping-" + Guid.NewGuid().ToString("N"), StoreMail.Start.AddSeconds(3));
                return Count(seen) > 0;
            },
            Deadline,
            "the store hears other instances again after the outage");
    }

    [Test]
    public async Task A_database_migrated_by_a_newer_smtpmock_is_refused_with_one_clear_line()
    {
        var uri = await Databases.CreateAsync(Engine);
        await (await Databases.OpenAsync(uri)).DisposeAsync();
        await using (var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Engine.ConnectionString) { Database = uri[(uri.LastIndexOf('/') + 1)..] }.ConnectionString))
        {
            await using var newer = source.CreateCommand("UPDATE smtpmock_schema SET version = 99");
            await newer.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<StoreSchemaException>(() => Databases.OpenAsync(uri));

        Assert.That(refused!.Message, Does.Contain($"schema version 99, newer than this smtpmock's {Schema.Current}").And.Not.Contain("\n").And.Not.Contain(Engine.Password));
    }

    [Test]
    public async Task Instances_starting_at_once_migrate_once_and_all_open()
    {
        var uri = await Databases.CreateAsync(Engine);

        var opened = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => Databases.OpenAsync(uri))));
        Track(opened);

        await StoreMail.SaveAsync(opened[0].Messages, "one", StoreMail.Start);
        Assert.That((await opened[4].Messages.CountAsync(CancellationToken.None)).Total, Is.EqualTo(1));
    }

    [Test]
    public async Task A_server_that_cannot_be_reached_is_named_without_its_password()
    {
        var uri = $"postgresql://smtpmock:secret-pw@127.0.0.1:{FreePort.Next()}/nowhere";

        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => Databases.OpenAsync(uri));

        Assert.That(refused!.Message, Does.StartWith($"cannot reach postgresql://smtpmock@127.0.0.1:{new Uri(uri).Port}/nowhere: ").And.Not.Contain("secret-pw"));
    }

    [Test]
    public async Task Retention_by_count_and_by_octets_keeps_the_newest_across_instances()
    {
        var uri = await Databases.CreateAsync(Engine);
        var a = (await OpenAsync(uri, maxMessages: 5)).Messages;
        var b = (await OpenAsync(uri, maxMessages: 5)).Messages;
        for (var i = 0; i < 8; i++)
        {
            await StoreMail.SaveAsync(i % 2 == 0 ? a : b, $"m{i}", StoreMail.Start.AddSeconds(i));
        }

        var kept = await b.QueryAsync(MessageQuery.All, CancellationToken.None);
        Assert.That(kept.Items.Select(m => m.Id), Is.EqualTo(new[] { "m7", "m6", "m5", "m4", "m3" }));
        Assert.That(await a.CountAsync(CancellationToken.None), Is.EqualTo(new StoreCounts(5, 5)));

        var budget = (await OpenAsync(await Databases.CreateAsync(Engine), maxBytes: 3000)).Messages;
        for (var i = 0; i < 4; i++)
        {
            await StoreMail.SaveAsync(budget, $"b{i}", StoreMail.Start.AddSeconds(i), bodyOctets: 1000);
        }

        Assert.That((await budget.QueryAsync(MessageQuery.All, CancellationToken.None)).Items.Select(m => m.Id), Is.EqualTo(new[] { "b3", "b2", "b1" }));
        await StoreMail.SaveAsync(budget, "huge", StoreMail.Start.AddSeconds(9), bodyOctets: 5000);
        Assert.That((await budget.QueryAsync(MessageQuery.All, CancellationToken.None)).Items.Select(m => m.Id), Is.EqualTo(new[] { "huge" }), "the newest stays even over the budget");
    }

    [Test]
    public async Task Paging_ten_thousand_messages_by_keyset_returns_each_once_in_order()
    {
        var store = (await OpenAsync(await Databases.CreateAsync(Engine), maxMessages: 20_000)).Messages;
        const int Total = 10_000;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Total; i = Interlocked.Increment(ref next))
            {
                // Ten messages share each millisecond, so the id breaks ties.
                await StoreMail.SaveAsync(store, $"m{i:D5}", StoreMail.Start.AddMilliseconds(i / 10), bodyOctets: 200);
            }
        })));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await store.QueryAsync(new MessageQuery { Limit = 500, After = cursor }, CancellationToken.None);
            Assert.That(page.Matched, Is.EqualTo(Total));
            seen.AddRange(page.Items.Select(m => m.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, Total).Reverse().Select(i => $"m{i:D5}")));
    }

    private static List<StoreChange> Record(IMessageStore store)
    {
        var changes = new List<StoreChange>();
        store.Changed += change =>
        {
            lock (changes)
            {
                changes.Add(change);
            }
        };
        return changes;
    }

    private static int Count(List<StoreChange> changes)
    {
        lock (changes)
        {
            return changes.Count;
        }
    }
}
