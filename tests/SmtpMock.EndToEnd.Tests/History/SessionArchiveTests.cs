using SmtpMock.Server.History;

namespace SmtpMock.EndToEnd.Tests.History;

/// <summary>What a finished session leaves in the archive: a snapshot with its delivery attempts, each with the reply it finally got.</summary>
public class SessionArchiveTests
{
    [Test]
    public async Task A_bdat_message_gives_its_recipients_the_last_chunk_reply_and_a_refused_one_keeps_its_rcpt_reply()
    {
        await using var server = await TestServer.StartAsync(o => o with { InstanceId = "node-a" });
        await using (var client = await WireClient.ConnectAndGreetAsync(server.EndPoint))
        {
            Assert.That((await client.CommandAsync("MAIL FROM:<app@example.com>"))[^1], Does.StartWith("250"));
            Assert.That((await client.CommandAsync("RCPT TO:<bob@example.com>"))[^1], Does.StartWith("250"));
            Assert.That((await client.CommandAsync("RCPT TO:<550@smtpmock.test>"))[^1], Does.StartWith("550"));
            await client.WriteAsync("BDAT 9\r\nSubject: ");
            Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("250"));
            await client.WriteAsync("BDAT 6 LAST\r\nhi\r\n\r\n");
            var last = (await client.ReadReplyAsync())[^1];
            Assert.That(last, Does.StartWith("250"));
            await client.CommandAsync("QUIT");
        }

        var session = await server.WaitForSessionAsync(1);
        var record = await server.Sessions.GetAsync(session.Id, CancellationToken.None);
        Assert.That(record, Is.Not.Null);
        Assert.That((record!.Instance, record.Messages.Count, record.LineCount), Is.EqualTo(("node-a", 1, session.Transcript.Count)));
        Assert.That(record.Attempts.Select(a => (a.Recipient, a.Reply[..3], a.Sender)), Is.EqualTo(new[]
        {
            ("bob@example.com", "250", "app@example.com"),
            ("550@smtpmock.test", "550", "app@example.com"),
        }));
        Assert.That(record.Attempts[0].Reply, Is.EqualTo(session.Transcript.Lines.Last(l => l.Direction == Server.Session.TranscriptDirection.Out && l.Text.Contains("queued", StringComparison.OrdinalIgnoreCase)).Text), "the LAST chunk's reply, not the first chunk's");
    }

    [Test]
    public async Task Attempts_come_from_the_session_events_so_a_transcript_at_its_line_cap_loses_none()
    {
        // 40 lines hold the greeting, EHLO's reply and about two messages: the later attempts are not in the transcript
        // (the attempts' own bound, a quarter of the transcript's, is 10).
        await using var server = await TestServer.StartAsync(o => o with { MaxTranscriptLines = 40 });
        await using (var client = await WireClient.ConnectAndGreetAsync(server.EndPoint))
        {
            for (var i = 1; i <= 4; i++)
            {
                Assert.That((await client.CommandAsync("MAIL FROM:<app@example.com>"))[^1], Does.StartWith("250"));
                Assert.That((await client.CommandAsync($"RCPT TO:<user{i}@example.com>"))[^1], Does.StartWith("250"));
                Assert.That((await client.CommandAsync("RCPT TO:<550@smtpmock.test>"))[^1], Does.StartWith("550"));
                Assert.That((await client.CommandAsync("DATA"))[^1], Does.StartWith("354"));
                Assert.That((await client.CommandAsync($"Subject: {i}\r\n\r\nbody\r\n."))[^1], Does.StartWith("250"));
            }

            Assert.That((await client.CommandAsync("MAIL FROM:<app@example.com>"))[^1], Does.StartWith("250"));
            Assert.That((await client.CommandAsync("RCPT TO:<left@example.com>"))[^1], Does.StartWith("250"));
            Assert.That((await client.CommandAsync("RSET"))[^1], Does.StartWith("250"));
            await client.CommandAsync("QUIT");
        }

        var session = await server.WaitForSessionAsync(1);
        var record = await server.Sessions.GetAsync(session.Id, CancellationToken.None);
        Assert.That(session.Transcript.Count, Is.EqualTo(40), "the transcript stopped at its cap");
        Assert.That(session.Transcript.Lines.Count(l => l.Text.StartsWith("RCPT TO:<user", StringComparison.Ordinal)), Is.LessThan(4), "some attempts are past the transcript's end");
        Assert.That(record!.Attempts.Select(a => (a.Recipient, a.Reply[..3])), Is.EqualTo(new[]
        {
            ("user1@example.com", "250"), ("550@smtpmock.test", "550"),
            ("user2@example.com", "250"), ("550@smtpmock.test", "550"),
            ("user3@example.com", "250"), ("550@smtpmock.test", "550"),
            ("user4@example.com", "250"), ("550@smtpmock.test", "550"),
            ("left@example.com", "250"),
        }));
        Assert.That(record.Attempts.Take(8).Where((_, i) => i % 2 == 0).Select(a => a.Reply), Has.All.Contains("queued").IgnoreCase, "an accepted recipient's reply is the message's");
        Assert.That(record.Attempts[^1].Reply, Does.Not.Contain("queued").IgnoreCase, "a transaction reset before DATA keeps the RCPT's reply");
    }

    [Test]
    public async Task Ids_come_in_blocks_that_follow_each_other_and_the_archive_keeps_the_newest_within_its_budget()
    {
        var archive = new MemorySessionArchive(maxSessions: 2, maxLines: 1000);
        Assert.That((await archive.ReserveIdsAsync(64, CancellationToken.None), await archive.ReserveIdsAsync(64, CancellationToken.None)), Is.EqualTo((1L, 65L)));
        foreach (var id in new long[] { 1, 2, 3 })
        {
            await archive.SaveAsync(new SessionRecord { Id = id, Client = "127.0.0.1:1", StartedAt = DateTimeOffset.UnixEpoch.AddSeconds(id), LineCount = 1 }, CancellationToken.None);
        }

        var kept = await archive.ListAsync(SessionQuery.All, CancellationToken.None);
        Assert.That(kept.Select(s => s.Id), Is.EqualTo(new long[] { 3, 2 }), "newest first, the oldest gone");
        Assert.That(await archive.GetAsync(1, CancellationToken.None), Is.Null);
    }
}
