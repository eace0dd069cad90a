using System.Net.Sockets;
using System.Text;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>Finished transcripts are kept within a count and a total line budget, oldest dropped first.</summary>
public class TranscriptRetentionTests
{
    [Test]
    public async Task Busy_sessions_are_dropped_oldest_first_to_stay_within_the_line_budget()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxTranscriptLines = 100, MaxTranscriptLinesKept = 250 });
        for (var i = 0; i < 6; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(server.EndPoint);
            var stream = client.GetStream();
            var noops = string.Concat(Enumerable.Repeat("NOOP\r\n", 40)) + "QUIT\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(noops));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            using var timeout = TestServer.Timeout();
            while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.StartsWith("221", StringComparison.Ordinal))
            {
            }

            await server.WaitForSessionAsync(i + 1);
        }

        var kept = server.FinishedSessions;
        Assert.That(kept.Sum(s => s.Transcript.Count), Is.LessThanOrEqualTo(250));
        Assert.That(kept.Select(s => s.Id), Is.EqualTo(new long[] { 5, 6 }), "each session has about 84 lines: the newest whole ones are kept");
    }
}
