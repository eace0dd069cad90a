using System.Net;
using SmtpMock.Server.Capture;
using SmtpMock.Server.History;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>Starts servers on 127.0.0.1 port 0 and puts deadlines on every wait.</summary>
internal static class TestServer
{
    /// <summary>How long any single wait in these tests may take before the test fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static SmtpServerOptions Options(Func<SmtpServerOptions, SmtpServerOptions>? configure = null)
    {
        var options = new SmtpServerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Hostname = "mock.test",
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        return configure is null ? options : configure(options);
    }

    public static async Task<SmtpMockServer> StartAsync(Func<SmtpServerOptions, SmtpServerOptions>? configure = null)
    {
        var server = new SmtpMockServer(Options(configure));
        await server.StartAsync();
        return server;
    }

    public static CancellationTokenSource Timeout() => new(Deadline);

    /// <summary>The message the store holds with this id, waiting for it up to the deadline.</summary>
    public static async Task<CapturedMessage> WaitForMessageAsync(this SmtpMockServer server, Func<CapturedMessage, bool> match)
    {
        using var timeout = Timeout();
        return await server.Messages.WaitForAsync(match, timeout.Token);
    }

    /// <summary>The id in a "250 2.0.0 OK: queued as ID" reply text.</summary>
    public static string QueuedId(string reply)
    {
        const string marker = "queued as ";
        var at = reply.LastIndexOf(marker, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"not an acceptance reply: {reply}");
        return reply[(at + marker.Length)..].Trim();
    }

    /// <summary>The finished session with this id (its transcript is complete), waiting up to the deadline.</summary>
    public static async Task<SessionContext> WaitForSessionAsync(this SmtpMockServer server, long id)
    {
        using var timeout = Timeout();
        return await server.WaitForSessionEndAsync(id, timeout.Token);
    }

    /// <summary>
    /// The finished session with this id, checked to be the client that said EHLO/HELO <paramref name="heloName"/>:
    /// ids count connections in accept order from 1, so a test that connects one client after another knows each one's.
    /// </summary>
    public static async Task<SessionContext> WaitForSessionAsync(this SmtpMockServer server, long id, string heloName)
    {
        var session = await server.WaitForSessionAsync(id);
        Assert.That(session.HeloName, Is.EqualTo(heloName), $"session {id} is not the client that said {heloName}");
        return session;
    }

    /// <summary>The client lines of a transcript (what the server read as commands).</summary>
    public static IReadOnlyList<string> ClientLines(this SessionContext session) => ClientLines(session.Transcript.Lines);

    /// <summary>The client lines of a kept session (what the fixture hands out).</summary>
    public static IReadOnlyList<string> ClientLines(this SessionRecord session) => ClientLines(session.Lines);

    private static IReadOnlyList<string> ClientLines(IReadOnlyList<TranscriptLine> lines) =>
        [.. lines.Where(l => l.Direction == TranscriptDirection.In).Select(l => l.Text)];

    public static IReadOnlyList<string> RecipientAddresses(this CapturedMessage message) =>
        [.. message.Recipients.Select(r => r.Address)];
}
