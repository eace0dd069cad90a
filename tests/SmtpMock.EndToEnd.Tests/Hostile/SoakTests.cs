using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using SmtpMock.Server.Capture;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// A bounded soak: thousands of sessions, eight at a time, mixing clean clients, clients that give up mid-DATA or
/// reset, and a scenario that drops the connection at the final dot, delays, and refuses with 421/451/554 by
/// seeded probability. Every message the client saw a 250 for is captured exactly once, nothing else is, and the
/// server's bounded stores (messages by count and bytes, finished sessions by count and transcript lines) are
/// within their limits afterwards with no session left open. Memory itself is measured by the bench
/// (<c>smtpmock-bench alloc</c>, RSS in <c>throughput</c>), in a process of its own: a heap figure taken here would
/// count every other test's garbage too.
/// </summary>
[TestFixture]
public sealed partial class SoakTests
{
    private const int Sessions = 2000;
    private const int Concurrency = 8;
    private const int WarmUp = 100;

    // Small enough that every bound is reached and enforced many times over in the soak.
    private const int KeptMessages = 20;
    private const long KeptMessageBytes = 1024;
    private const int KeptSessions = 20;
    private const int SessionLines = 100;
    private const int KeptLines = 150;

    private const string Scenario = """
        name: soak
        description: Drops, delays and refusals for the soak test.
        seed: 20240601
        rules:
          - name: drop-at-dot
            on: MESSAGE
            when: { sender: 'drop-*@soak.test' }
            reply: none
            then: close
          - name: refuse-mail
            on: MAIL
            when: { probability: 0.04 }
            reply: 451
          - name: slow-rcpt
            on: RCPT
            when: { probability: 0.2 }
            delay: 3ms
          - name: close-at-data
            on: DATA
            when: { probability: 0.02 }
            reply: 421
          - name: temp-fail-message
            on: MESSAGE
            when: { probability: 0.08 }
            reply: 451
          - name: reject-message
            on: MESSAGE
            when: { probability: 0.05 }
            reply: 554
            delay: 1ms
        """;

    private enum Kind
    {
        Clean,
        Pipelined,
        DroppedAtDot,
        AbandonedMidData,
        ResetMidData,
        RsetThenQuit,
    }

    private enum Outcome
    {
        Acknowledged,
        Refused,
        Dropped,
        Abandoned,
        NoMessage,
    }

    [Test]
    public async Task Every_acknowledged_message_is_captured_exactly_once_and_the_stores_stay_within_their_bounds()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-soak-").FullName;
        var file = Path.Combine(folder, "soak.yaml");
        await File.WriteAllTextAsync(file, Scenario);
        var server = await TestServer.StartAsync(o => o with
        {
            ScenarioPaths = [file],
            MaxStoredMessages = KeptMessages,
            MaxStoredBytes = KeptMessageBytes,
            MaxTranscripts = KeptSessions,
            MaxTranscriptLines = SessionLines,
            MaxTranscriptLinesKept = KeptLines,
        });
        var captured = new ConcurrentDictionary<string, int>();
        var capturedSession = new ConcurrentDictionary<string, int>();
        void OnCaptured(StoreChange change)
        {
            if (change is not { Kind: StoreChangeKind.Added, Message: { } message })
            {
                return;
            }

            captured.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
            var marker = SoakMarker().Match(Encoding.ASCII.GetString(message.Raw.Span));
            capturedSession[message.Id] = marker.Success ? int.Parse(marker.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }

        server.Messages.Changed += OnCaptured;
        var acknowledged = new ConcurrentDictionary<int, string>();
        var outcomes = new ConcurrentDictionary<int, Outcome>();
        try
        {
            Assert.That(server.Scenarios.Active?.Name, Is.EqualTo("soak"));
            var clock = Stopwatch.StartNew();

            await RunAsync(server, 0, WarmUp, acknowledged, outcomes);
            await RunAsync(server, WarmUp, Sessions, acknowledged, outcomes);
            await WaitUntilIdleAsync(server);

            var counts = outcomes.Values.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
            TestContext.Out.WriteLine($"{Sessions} sessions in {clock.Elapsed.TotalSeconds:0.0} s: "
                + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))
                + $"; kept {server.Messages.Count} messages, {server.FinishedSessions.Count} sessions");

            Assert.That(outcomes, Has.Count.EqualTo(Sessions), "every session ran to its end");
            Assert.That(counts.GetValueOrDefault(Outcome.Acknowledged), Is.GreaterThan(Sessions / 3), "six sessions in ten send a message; most of those go through");
            Assert.That(counts.GetValueOrDefault(Outcome.Refused), Is.GreaterThan(0), "the scenario refused some");
            Assert.That(counts.GetValueOrDefault(Outcome.Dropped), Is.GreaterThan(0), "the scenario dropped some");

            // Exactly the acknowledged messages were captured, each once, each the one its session sent.
            Assert.That(captured.Keys, Is.EquivalentTo(acknowledged.Values), "captured ids are the acknowledged ids");
            Assert.That(captured.Values, Has.All.EqualTo(1), "no message captured twice");
            Assert.That(acknowledged.Select(a => capturedSession[a.Value] == a.Key), Has.All.True, "each id holds its own session's message");
            Assert.That(server.Messages.TotalCaptured, Is.EqualTo(acknowledged.Count));
            Assert.That(server.Messages.Count, Is.LessThanOrEqualTo(20));

            // Two thousand sessions later the server holds no more than its limits allow, and nothing is left open.
            var kept = server.Messages.Messages;
            Assert.That(kept, Is.Not.Empty, "the newest messages are kept");
            Assert.That(kept.Count, Is.LessThanOrEqualTo(KeptMessages), "messages kept");
            Assert.That(kept.Sum(m => m.MemorySize), Is.LessThanOrEqualTo(KeptMessageBytes), "bytes of the kept messages");
            Assert.That(kept.Select(m => m.Id), Is.SubsetOf(acknowledged.Values), "only acknowledged messages are kept");
            var sessions = server.FinishedSessions;
            Assert.That(sessions, Is.Not.Empty, "the newest sessions are kept");
            Assert.That(sessions, Has.Count.LessThanOrEqualTo(KeptSessions), "finished sessions kept");
            Assert.That(sessions.Max(s => s.Transcript.Count), Is.LessThanOrEqualTo(SessionLines + 1), "lines of one transcript");
            Assert.That(sessions.Sum(s => s.Transcript.Count), Is.LessThanOrEqualTo(KeptLines), "transcript lines kept in all");
            Assert.That(server.ActiveSessions, Is.Zero, "sessions still open");

            // Without the scenario (it would refuse by chance), the server serves a clean session as before.
            server.Scenarios.Activate((Server.Scenarios.Scenario?)null);
            await server.AssertBystanderServedAsync("after-soak");
        }
        finally
        {
            server.Messages.Changed -= OnCaptured;
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Sessions <paramref name="from"/> to <paramref name="to"/>, <see cref="Concurrency"/> at a time: bounded by
    /// their count, never by a clock (each session's every read and write has <see cref="WireClient.Deadline"/>), so a
    /// busy machine makes the run slower, not shorter.
    /// </summary>
    private static async Task RunAsync(
        Server.Hosting.SmtpMockServer server, int from, int to,
        ConcurrentDictionary<int, string> acknowledged, ConcurrentDictionary<int, Outcome> outcomes)
    {
        var next = from - 1;
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            await Task.Yield();
            for (var i = Interlocked.Increment(ref next); i < to; i = Interlocked.Increment(ref next))
            {
                var (outcome, id) = await OneSessionAsync(server, i);
                outcomes[i] = outcome;
                if (id is not null)
                {
                    acknowledged[i] = id;
                }
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>Waits, up to the test deadline, until every session the soak opened has ended on the server.</summary>
    private static async Task WaitUntilIdleAsync(Server.Hosting.SmtpMockServer server)
    {
        // A session counts as ended before SessionEnded is raised, so the last one's event sees zero.
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEnded(Server.Session.SessionContext ended)
        {
            if (server.ActiveSessions == 0)
            {
                idle.TrySetResult();
            }
        }

        server.SessionEnded += OnEnded;
        try
        {
            if (server.ActiveSessions > 0)
            {
                await idle.Task.WaitAsync(TestServer.Deadline);
            }
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{server.ActiveSessions} sessions still open {TestServer.Deadline.TotalSeconds:0} s after the soak");
        }
        finally
        {
            server.SessionEnded -= OnEnded;
        }
    }

    private static async Task<(Outcome, string?)> OneSessionAsync(Server.Hosting.SmtpMockServer server, int i)
    {
        var kind = (i % 10) switch
        {
            < 4 => Kind.Clean,
            < 6 => Kind.Pipelined,
            6 => Kind.DroppedAtDot,
            7 => Kind.AbandonedMidData,
            8 => Kind.ResetMidData,
            _ => Kind.RsetThenQuit,
        };
        if (kind == Kind.ResetMidData)
        {
            return await ResetMidDataAsync(server, i);
        }

        var sender = kind == Kind.DroppedAtDot ? $"drop-{i}@soak.test" : $"s{i}@soak.test";
        var content = $"Subject: soak {i}\r\nX-Soak-Session: {i}\r\n\r\nBody of soak message {i}.\r\n";
        await using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, $"soak{i}.test");
        if (kind == Kind.Pipelined)
        {
            await client.WriteAsync($"MAIL FROM:<{sender}>\r\nRCPT TO:<r{i}@example.org>\r\nDATA\r\n");
            var mail = await ReplyAsync(client);
            var rcpt = await ReplyAsync(client);
            var data = await ReplyAsync(client);
            Assert.That(new[] { mail, rcpt, data }, Has.None.Null, $"session {i}: a reply to each pipelined command");
            if (!data!.StartsWith("354 ", StringComparison.Ordinal))
            {
                // A refused MAIL makes RCPT 503 and DATA 503; a 421 at DATA closes.
                Assert.That(mail!.StartsWith("250 ", StringComparison.Ordinal) ? data : mail, Does.Match("^(421|451|503) "), $"session {i}");
                return (Outcome.Refused, null);
            }

            return await FinishAsync(client, content + ".\r\n", i);
        }

        var reply = await CommandAsync(client, $"MAIL FROM:<{sender}>");
        if (reply is not { } r1 || !r1.StartsWith("250 ", StringComparison.Ordinal))
        {
            Assert.That(reply, Does.StartWith("451 "), $"session {i}: MAIL");
            await QuitAsync(client);
            return (Outcome.Refused, null);
        }

        Assert.That(await CommandAsync(client, $"RCPT TO:<r{i}@example.org>"), Does.StartWith("250 2.1.5"), $"session {i}: RCPT");
        if (kind == Kind.RsetThenQuit)
        {
            Assert.That(await CommandAsync(client, "RSET"), Does.StartWith("250 "));
            await QuitAsync(client);
            return (Outcome.NoMessage, null);
        }

        var dataReply = await CommandAsync(client, "DATA");
        if (dataReply is null || dataReply.StartsWith("421 ", StringComparison.Ordinal))
        {
            Assert.That(await client.ReadUntilClosedAsync(), Is.Empty, $"session {i}: closed after the 421");
            return (Outcome.Refused, null);
        }

        Assert.That(dataReply, Does.StartWith("354 "), $"session {i}: DATA");
        if (kind == Kind.AbandonedMidData)
        {
            // Half the message, then the client goes away (FIN): nothing is captured.
            await client.WriteAsync(content[..(content.Length / 2)]);
            return (Outcome.Abandoned, null);
        }

        return await FinishAsync(client, content + ".\r\n", i);
    }

    private static async Task<(Outcome, string?)> FinishAsync(WireClient client, string payload, int i)
    {
        await client.WriteAsync(payload);
        var final = await ReplyAsync(client);
        if (final is null)
        {
            Assert.That(await client.ReadUntilClosedAsync(), Is.Empty);
            return (Outcome.Dropped, null);
        }

        if (!final.StartsWith("250 ", StringComparison.Ordinal))
        {
            Assert.That(final, Does.Match("^(451|554) "), $"session {i}: end of data");
            await QuitAsync(client);
            return (Outcome.Refused, null);
        }

        var id = TestServer.QueuedId(final);
        await QuitAsync(client);
        return (Outcome.Acknowledged, id);
    }

    private static async Task<(Outcome, string?)> ResetMidDataAsync(Server.Hosting.SmtpMockServer server, int i)
    {
        using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, $"soak{i}.test");
        await client.WriteAsync($"MAIL FROM:<reset-{i}@soak.test>\r\nRCPT TO:<r{i}@example.org>\r\nDATA\r\n");
        var replies = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            var reply = (await client.ReadReplyAsync()).Single();
            replies.Add(reply);
            if (reply.StartsWith("421 ", StringComparison.Ordinal) || reply.StartsWith("354 ", StringComparison.Ordinal))
            {
                break;
            }
        }

        if (replies[^1].StartsWith("354 ", StringComparison.Ordinal))
        {
            await client.WriteAsync($"Subject: reset {i}\r\nX-Soak-Session: {i}\r\n\r\nCut by a reset");
        }

        client.Reset();
        return (Outcome.Abandoned, null);
    }

    private static async Task<string?> CommandAsync(WireClient client, string command)
    {
        await client.WriteAsync(command + "\r\n");
        return await ReplyAsync(client);
    }

    /// <summary>One reply's last line, or null when the server closed the connection instead.</summary>
    private static async Task<string?> ReplyAsync(WireClient client)
    {
        for (var n = 0; n < 50; n++)
        {
            var line = await client.ReadLineAsync();
            if (line is null || line.Length < 4 || line[3] == ' ')
            {
                return line;
            }
        }

        throw new AssertionException("a reply of more than 50 lines");
    }

    private static async Task QuitAsync(WireClient client)
    {
        Assert.That(await CommandAsync(client, "QUIT"), Does.StartWith("221 "));
        Assert.That(await client.ReadUntilClosedAsync(), Is.Empty);
    }

    [GeneratedRegex(@"X-Soak-Session: (\d+)\r\n")]
    private static partial Regex SoakMarker();
}
