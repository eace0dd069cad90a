using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests.Harness;

/// <summary>The result of driving one session without sockets.</summary>
internal sealed record DriveResult(string Output, SessionContext Session, IMessageStore Store)
{
    /// <summary>How many times the session's output reached the transport (one per flush that had replies).</summary>
    public int Writes { get; init; }

    /// <summary>The reply lines the server wrote, without CRLF.</summary>
    public IReadOnlyList<string> Lines => Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The final line of each reply (code followed by a space), in order, greeting first.</summary>
    public IReadOnlyList<string> Replies => [.. Lines.Where(l => l.Length > 3 && l[3] == ' ')];

    /// <summary>The replies after the greeting, as "code enhanced" (or the code alone).</summary>
    public IReadOnlyList<string> Codes => [.. Replies.Skip(1).Select(CodeOf)];

    private static string CodeOf(string line)
    {
        var parts = line.Split(' ');
        return parts.Length > 1 && parts[1].Count(c => c == '.') == 2 && char.IsDigit(parts[1][0]) ? $"{parts[0]} {parts[1]}" : parts[0];
    }
}

/// <summary>Drives a session over in-memory pipes: bytes in, replies out.</summary>
internal static class SessionDriver
{
    public static SmtpServerOptions Options(Func<SmtpServerOptions, SmtpServerOptions>? configure = null)
    {
        var options = new SmtpServerOptions { Hostname = "mx.test" };
        return configure is null ? options : configure(options);
    }

    public static Task<DriveResult> RunAsync(string dialog, Split split = Split.Whole, SmtpServerOptions? options = null) =>
        RunAsync(Splitter.Bytes(dialog), split, options);

    public static Task<DriveResult> RunAsync(byte[] dialog, Split split = Split.Whole, SmtpServerOptions? options = null, IMessageStore? store = null, CancellationToken shutdown = default, bool hangAtEnd = false, TaskCompletionSource? hanging = null, SessionRules? rules = null, long sessionId = 1, bool rawReplies = false) =>
        DriveAsync(new ScriptedPipeReader(Splitter.Cut(dialog, split), hangAtEnd || hanging is not null, hanging), options ?? Options(), store, shutdown, rules, sessionId, rawReplies);

    /// <summary>Runs a dialog cut into exactly these reads.</summary>
    public static Task<DriveResult> RunChunksAsync(IEnumerable<byte[]> chunks, SmtpServerOptions? options = null) =>
        DriveAsync(new ScriptedPipeReader(chunks), options ?? Options());

    /// <summary>The one way tests build a session: the host's own factory, a loopback client, no logging.</summary>
    public static SmtpSession Build(SmtpServerOptions options, IMessageStore? store = null, SessionRules? rules = null, long sessionId = 1) =>
        SessionFactory.Create(options, rules, store ?? new MemoryMessageStore(options.MaxStoredMessages, options.MaxStoredBytes), sessionId, new IPEndPoint(IPAddress.Loopback, 40000), NullLogger.Instance).Session;

    private static async Task<DriveResult> DriveAsync(ScriptedPipeReader input, SmtpServerOptions options, IMessageStore? store = null, CancellationToken shutdown = default, SessionRules? rules = null, long sessionId = 1, bool rawReplies = false)
    {
        store ??= new MemoryMessageStore(options.MaxStoredMessages, options.MaxStoredBytes);
        var buffer = new CountingStream();
        var output = PipeWriter.Create(buffer);
        var session = Build(options, store, rules, sessionId);
        await session.RunAsync(input, output, shutdown).WaitAsync(TimeSpan.FromSeconds(30));
        await output.FlushAsync();
        var result = new DriveResult(Encoding.UTF8.GetString(buffer.ToArray()), session.Context, store) { Writes = buffer.Writes };
        if (!rawReplies)
        {
            // Raw replies are malformed on purpose; everything else must pass the oracle.
            ReplyOracle.AssertWellFormed(result.Output);
        }

        return result;
    }

    /// <summary>Message ids are unique per run; everything else must be identical.</summary>
    private static string WithoutIds(string output) => System.Text.RegularExpressions.Regex.Replace(output, "queued as [0-9a-f]{32}", "queued as <id>");

    /// <summary>Runs the dialog whole, per line and per byte; asserts the three outputs are identical.</summary>
    public static async Task<DriveResult> RunAllSplitsAsync(string dialog, SmtpServerOptions? options = null)
    {
        var whole = await RunAsync(dialog, Split.Whole, options);
        var perLine = await RunAsync(dialog, Split.PerLine, options);
        var perByte = await RunAsync(dialog, Split.PerByte, options);
        Assert.That(WithoutIds(perLine.Output), Is.EqualTo(WithoutIds(whole.Output)), "per-line feeding changed the replies");
        Assert.That(WithoutIds(perByte.Output), Is.EqualTo(WithoutIds(whole.Output)), "per-byte feeding changed the replies");
        return whole;
    }
}
