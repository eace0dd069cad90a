using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.PostgreSql;
using SmtpMock.Server.History;
using SmtpMock.Server.Session;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>Finished sessions in PostgreSQL: kept whole, listed newest first, ids that never collide, announced on every instance.</summary>
[TestFixture]
internal sealed class PostgresSessionArchiveTests : BackendFixture
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    [Test]
    public async Task A_saved_session_comes_back_whole_and_lists_newest_first()
    {
        var archive = (await OpenAsync(await Databases.CreateAsync(Engine))).Sessions;
        var session = Session(7, Start, "mx.example.test") with
        {
            EndedAt = Start.AddSeconds(2),
            Commands = 5,
            Faults = 1,
            EndReason = "QUIT",
            Tls = "TLSv1.3 TLS_AES_256_GCM_SHA384",
            AuthenticatedUser = "alice",
            Scenario = "greylist",
            ScenarioChosenBy = "ehlo",
            Messages = ["m1", "m2"],
            Attempts = [new DeliveryAttempt(Start.AddSeconds(1), "127.0.0.1", "a@example.test", "b@example.test", "451 4.7.1 greylisted", "grey")],
            Lines =
            [
                new TranscriptLine(Start, TranscriptDirection.Out, "220 smtpmock ready"),
                new TranscriptLine(Start.AddMilliseconds(5), TranscriptDirection.In, "EHLO mx.example.test"),
                new TranscriptLine(Start.AddMilliseconds(9), TranscriptDirection.Out, "451 4.7.1 greylisted") { Rule = "grey" },
            ],
        };
        await archive.SaveAsync(session, CancellationToken.None);
        await archive.SaveAsync(Session(8, Start.AddMinutes(1), "other.example.test"), CancellationToken.None);

        var found = await archive.GetAsync(7, CancellationToken.None);
        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Lines, Is.EqualTo(session.Lines));
        Assert.That(found.Attempts, Is.EqualTo(session.Attempts));
        Assert.That(found.Messages, Is.EqualTo(session.Messages));
        Assert.That(found with { Lines = [], Attempts = [], Messages = [] }, Is.EqualTo(session with { Lines = [], Attempts = [], Messages = [], LineCount = 3 }));
        Assert.That(await archive.GetAsync(99, CancellationToken.None), Is.Null);

        var listed = await archive.ListAsync(SessionQuery.All, CancellationToken.None);
        Assert.That(listed.Select(s => s.Id), Is.EqualTo(new long[] { 8, 7 }));
        Assert.That(listed[1].Lines, Is.Empty, "a list without lines is cheaper");
        Assert.That(listed[1].LineCount, Is.EqualTo(3));
        Assert.That((listed[1].Scenario, listed[1].ScenarioChosenBy), Is.EqualTo(("greylist", "ehlo")), "the chosen scenario is listed too");
        Assert.That((listed[0].Scenario, listed[0].ScenarioChosenBy), Is.EqualTo(((string?)null, (string?)null)), "a session without a scenario keeps none");
        Assert.That((await archive.ListAsync(new SessionQuery { HeloContains = "MX.", WithLines = true }, CancellationToken.None)).Single().Lines, Has.Count.EqualTo(3));
        Assert.That((await archive.ListAsync(new SessionQuery { Since = Start.AddSeconds(30) }, CancellationToken.None)).Select(s => s.Id), Is.EqualTo(new long[] { 8 }));
        Assert.That((await archive.ListAsync(new SessionQuery { Limit = 1 }, CancellationToken.None)).Select(s => s.Id), Is.EqualTo(new long[] { 8 }));

        await archive.ClearAsync(CancellationToken.None);
        Assert.That(await archive.ListAsync(SessionQuery.All, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Id_blocks_reserved_by_two_instances_at_once_never_overlap()
    {
        var uri = await Databases.CreateAsync(Engine);
        var archives = new[] { (await OpenAsync(uri)).Sessions, (await OpenAsync(uri)).Sessions };

        var firsts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () => await archives[i % 2].ReserveIdsAsync(100, CancellationToken.None))));

        var ids = firsts.SelectMany(first => Enumerable.Range(0, 100).Select(n => first + n)).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids.Min(), Is.EqualTo(1));
        Assert.That(ids.Max(), Is.EqualTo(4000), "blocks are consecutive: nothing is skipped");
    }

    [Test]
    public async Task Only_the_newest_sessions_are_kept_and_another_instance_hears_of_each_once()
    {
        var uri = await Databases.CreateAsync(Engine);
        var a = (await OpenAsync(uri, maxSessions: 3)).Sessions;
        var b = (await OpenAsync(uri, maxSessions: 3)).Sessions;
        var heard = new List<SessionRecord>();
        b.Saved += s =>
        {
            lock (heard)
            {
                heard.Add(s);
            }
        };

        for (var i = 1; i <= 5; i++)
        {
            await a.SaveAsync(Session(i, Start.AddSeconds(i), "h") with { Lines = [new TranscriptLine(Start, TranscriptDirection.In, "QUIT")] }, CancellationToken.None);
        }

        Assert.That((await b.ListAsync(SessionQuery.All, CancellationToken.None)).Select(s => s.Id), Is.EqualTo(new long[] { 5, 4, 3 }));
        await Poll.UntilAsync(
            () =>
            {
                lock (heard)
                {
                    return heard.Any(s => s.Id == 5);
                }
            },
            TimeSpan.FromSeconds(15),
            "B hears of A's sessions");

        // The two oldest may be gone before B reads them; whatever B heard, it heard once, without lines but with their count.
        await b.SaveAsync(Session(6, Start.AddSeconds(6), "h"), CancellationToken.None);
        lock (heard)
        {
            Assert.That(heard.Select(s => s.Id), Is.Unique.And.SubsetOf(new long[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(heard.Select(s => s.Id), Does.Contain(5L).And.Contain(6L));
            Assert.That(heard.Where(s => s.Id <= 5), Has.All.Matches<SessionRecord>(s => s is { Lines.Count: 0, LineCount: 1 }));
        }
    }

    private static SessionRecord Session(long id, DateTimeOffset started, string helo) =>
        new() { Id = id, Instance = "i1", Client = "127.0.0.1:40000", StartedAt = started, HeloName = helo };
}
