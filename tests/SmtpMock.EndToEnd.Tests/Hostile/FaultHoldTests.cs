using SmtpMock.EndToEnd.Tests.Scenarios;
using SmtpMock.Tests.Shared;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// The network faults against a hostile client (issue #23): a hang drains whatever is sent without keeping it.
/// (A hang never holding up the stop is in NetworkFaultTests.)
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
}
