using SmtpMock.EndToEnd.Tests.Scenarios;
using SmtpMock.Tests.Shared;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// The network faults against a hostile client (issue #23): a hang drains whatever is sent without keeping it; a
/// throttled session crawls alone while others are served, and holds one read's replies, no more. (A hang or a
/// throttle never holding up the stop is in NetworkFaultTests.)
/// </summary>
[TestFixture]
public sealed class FaultHoldTests
{
    /// <summary>Far more than the socket buffers and the pipe hold: if the hang did not consume it, the writes would stall.</summary>
    private const int Flood = 16 * 1024 * 1024;

    [Test]
    public async Task A_hung_session_drains_a_flood_without_holding_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint);
        await client.CommandAsync("MAIL FROM:<a@example.com>");
        await client.WriteAsync("RCPT TO:<hang@smtpmock.test>\r\n");
        await FaultKit.UntilAsync(() => server.OpenSessions.Any(s => s.EndReason is not null), "the hang began");

        // 16 MiB of lines, written within the test's deadline: only possible if the server reads and drops them.
        var line = new byte[64 * 1024];
        Array.Fill(line, (byte)'x');
        line[^2] = (byte)'\r';
        line[^1] = (byte)'\n';
        using var timeout = TestServer.Timeout();
        for (var sent = 0; sent < Flood; sent += line.Length)
        {
            await client.WriteAsync(line, timeout.Token);
        }

        var session = server.OpenSessions.Single();
        Assert.That(session.Commands, Is.EqualTo(3), "nothing sent during the hang was taken as a command (EHLO, MAIL, RCPT)");
        Assert.That(session.Transcript.Lines.Count(l => l.Direction == Server.Session.TranscriptDirection.In), Is.EqualTo(3), "nor written to the transcript");
    }

    [Test]
    public async Task A_session_throttled_to_one_octet_a_second_holds_only_itself_and_reads_no_more_than_it_answers()
    {
        await using var server = await TestServer.StartAsync();
        await using var crawler = await WireClient.ConnectAndGreetAsync(server.EndPoint);
        await crawler.CommandAsync("MAIL FROM:<a@example.com>");
        // From this RCPT on, every reply of that session goes out at 1 octet a second: "250 2.1.5 ..." takes ~30 s.
        await crawler.WriteAsync("RCPT TO:<slow-1bps@smtpmock.test>\r\n");
        await FaultKit.UntilAsync(() => server.OpenSessions.Any(s => s.Commands >= 3), "the RCPT was taken");
        var crawling = server.OpenSessions.Single();

        // Then it pipelines far more commands (12 MB) than the socket buffers hold, without reading a reply.
        var noops = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOOP\r\n", 2_000_000)));
        using var timeout = TestServer.Timeout();
        var flooding = crawler.WriteAsync(noops, timeout.Token);

        // Meanwhile another client is served at full speed.
        await using (var other = await WireClient.ConnectAndGreetAsync(server.EndPoint))
        {
            var queued = await other.SendMessageAsync("b@example.com", "c@example.com", "Subject: beside a crawl\r\n\r\nhello\r\n");
            Assert.That(queued, Is.Not.Empty, "the other client's message got its 250 with a queue id");
        }

        Assert.That(server.Messages.Count, Is.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(flooding.IsCompleted, Is.False, "the crawling session stopped reading: the flood waits in the client's socket, not in the server");
            Assert.That(crawling.Commands, Is.LessThan(1_000_000), "it took no more commands than one read can hold while its replies crawl");
        });
    }
}
