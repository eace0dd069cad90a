using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The server's System.Diagnostics.Metrics instruments, on a meter of its own (two servers in one process never mix
/// their counts). Commands, replies and injected faults are read off the transcript lines. The counts are kept by
/// the server itself (one interlocked add per line) and published as observable counters, read only when a
/// listener collects (a Prometheus scrape, an OpenTelemetry export): a listener never runs code on a session's
/// path. (Counters read through per-measurement listener callbacks cost the control plane about 5% of persistent
/// throughput; docs/performance.md.)
/// </summary>
public sealed class ServerMetrics : IDisposable
{
    /// <summary>The meter name every server's meter carries.</summary>
    public const string MeterName = "SmtpMock";

    private static readonly SmtpVerb[] Verbs = Enum.GetValues<SmtpVerb>();

    private static readonly KeyValuePair<string, object?>[] VerbTags = Verbs
        .Select(v => new KeyValuePair<string, object?>("verb", v == SmtpVerb.Unknown ? "OTHER" : v.Keyword()))
        .ToArray();

    /// <summary>One tag per reply code 100-599, made once: reading the counts allocates no tags.</summary>
    private static readonly KeyValuePair<string, object?>[] CodeTags = Enumerable.Range(0, 500)
        .Select(i => new KeyValuePair<string, object?>("code", (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .ToArray();

    private readonly long[] _commands = new long[Verbs.Length];
    private readonly long[] _replies = new long[500];
    private readonly ConcurrentDictionary<string, StrongBox<long>> _faults = new(StringComparer.Ordinal);
    private long _sessions;
    private long _messages;
    private long _bytes;

    internal ServerMetrics(SmtpMockServer server)
    {
        Meter = new Meter(MeterName, SmtpServerOptions.Version);
        Meter.CreateObservableCounter("smtpmock.sessions", () => Volatile.Read(ref _sessions), "{session}", "SMTP sessions accepted");
        Meter.CreateObservableCounter("smtpmock.commands", Commands, "{command}", "Command lines received, by verb");
        Meter.CreateObservableCounter("smtpmock.replies", Replies, "{reply}", "Replies sent, by code");
        Meter.CreateObservableCounter("smtpmock.faults.injected", Faults, "{reply}", "Replies a scenario rule wrote, by rule");
        Meter.CreateObservableCounter("smtpmock.messages.captured", () => Volatile.Read(ref _messages), "{message}", "Messages accepted and stored");
        Meter.CreateObservableCounter("smtpmock.messages.bytes", () => Volatile.Read(ref _bytes), "By", "Octets of the messages stored");
        Meter.CreateObservableUpDownCounter("smtpmock.connections.active", () => server.ActiveSessions, "{connection}", "Sessions open now");
        server.Messages.Captured += Captured;
    }

    /// <summary>This server's meter: listen to it (MeterListener, OpenTelemetry) by instance.</summary>
    public Meter Meter { get; }

    public void Dispose() => Meter.Dispose();

    internal void SessionStarted() => Interlocked.Increment(ref _sessions);

    internal void Line(TranscriptDirection direction, string text, string? rule)
    {
        if (direction == TranscriptDirection.In)
        {
            Interlocked.Increment(ref _commands[(int)VerbOf(text)]);
            return;
        }

        // A multi-line reply counts once, at its last line ("250 " not "250-"); raw bytes count as faults only.
        var last = direction == TranscriptDirection.Out && text.Length >= 3 && char.IsAsciiDigit(text[0]) && (text.Length == 3 || text[3] == ' ');
        if (last)
        {
            var code = ((text[0] - '0') * 100) + ((text[1] - '0') * 10) + (text[2] - '0');
            if (code is >= 100 and <= 599 && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2]))
            {
                Interlocked.Increment(ref _replies[code - 100]);
            }
        }

        if (rule is not null && (last || text.StartsWith("(raw)", StringComparison.Ordinal)))
        {
            Interlocked.Increment(ref _faults.GetOrAdd(rule, static _ => new StrongBox<long>()).Value);
        }
    }

    private void Captured(CapturedMessage message)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, message.Size);
    }

    // The tagged counters report only the series that have counted something, as a listener adding up
    // measurements would have.
    private IEnumerable<Measurement<long>> Commands()
    {
        for (var i = 0; i < _commands.Length; i++)
        {
            if (Volatile.Read(ref _commands[i]) is var count and > 0)
            {
                yield return new Measurement<long>(count, VerbTags[i]);
            }
        }
    }

    private IEnumerable<Measurement<long>> Replies()
    {
        for (var i = 0; i < _replies.Length; i++)
        {
            if (Volatile.Read(ref _replies[i]) is var count and > 0)
            {
                yield return new Measurement<long>(count, CodeTags[i]);
            }
        }
    }

    private IEnumerable<Measurement<long>> Faults()
    {
        foreach (var (rule, count) in _faults)
        {
            yield return new Measurement<long>(Volatile.Read(ref count.Value), new KeyValuePair<string, object?>("rule", rule));
        }
    }

    private static SmtpVerb VerbOf(string line)
    {
        var end = line.IndexOf(' ', StringComparison.Ordinal);
        var word = end < 0 ? line.AsSpan() : line.AsSpan(0, end);
        if (word.Length > 8)
        {
            return SmtpVerb.Unknown;
        }

        Span<byte> ascii = stackalloc byte[8];
        var written = Encoding.ASCII.GetBytes(word, ascii);
        return SmtpVerbs.Recognise(ascii[..written]);
    }
}
