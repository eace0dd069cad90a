using System.Diagnostics;
using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.Server.Capture;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>
/// 5,000 saves of 1 KiB from 20 tasks at once, the load of the group commit: every one is kept exactly once. The rate
/// is printed for docs/performance.md ("PostgreSQL store"), never asserted (speed goals live in benchmarks).
/// </summary>
[TestFixture]
internal sealed class PostgresStoreThroughputTests : BackendFixture
{
    [Test]
    public async Task Five_thousand_concurrent_saves_are_each_kept_once()
    {
        const int Total = 5_000;
        var backend = await OpenAsync(await Databases.CreateAsync(Engine), maxMessages: 10_000);
        var store = backend.Messages;
        await StoreMail.SaveAsync(store, "warm-up", StoreMail.Start, bodyOctets: 1024);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Total; i = Interlocked.Increment(ref next))
            {
                await StoreMail.SaveAsync(store, $"m{i:D5}", StoreMail.Start.AddMilliseconds(i), bodyOctets: 1024);
            }
        })));
        clock.Stop();

        await TestContext.Progress.WriteLineAsync($"postgres store: {Total} saves of 1 KiB from 20 tasks in {clock.Elapsed.TotalMilliseconds:0} ms = {Total / clock.Elapsed.TotalSeconds:0} messages/s");
        Assert.That((await store.CountAsync(CancellationToken.None)).Total, Is.EqualTo(Total + 1));
        var ids = new HashSet<string>();
        string? cursor = null;
        do
        {
            var page = await store.QueryAsync(new MessageQuery { Limit = 1000, After = cursor }, CancellationToken.None);
            Assert.That(page.Items.All(m => ids.Add(m.Id)), Is.True, "no message listed twice");
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.That(ids, Has.Count.EqualTo(Total + 1));
    }
}
