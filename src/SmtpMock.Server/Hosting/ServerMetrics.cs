using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The server's System.Diagnostics.Metrics instruments, on a meter of its own (two servers in one process never mix
/// their counts), counted from the sessions' typed events: commands by verb (an answer to a 334 is not a command and
/// has a counter of its own), replies by code, rules that fired by rule, messages and their octets. The counts are
/// kept by the server itself (one interlocked add each) and published as observable counters, read only when a
/// listener collects (a Prometheus scrape, an OpenTelemetry export): a listener never runs code on a session's path.
/// (Counters read through per-measurement listener callbacks cost the control plane about 5% of persistent
/// throughput; docs/performance.md.)
/// </summary>
public sealed class ServerMetrics : IDisposable, ISessionObserver
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
    private long _authResponses;
    private long _messages;
    private long _bytes;

    internal ServerMetrics(SmtpMockServer server)
    {
        Meter = new Meter(MeterName, SmtpServerOptions.Version);
        Meter.CreateObservableCounter("smtpmock.sessions", () => Volatile.Read(ref _sessions), "{session}", "SMTP sessions accepted");
        Meter.CreateObservableCounter("smtpmock.commands", Commands, "{command}", "Command lines received, by verb");
        Meter.CreateObservableCounter("smtpmock.auth.responses", () => Volatile.Read(ref _authResponses), "{line}", "Lines sent in answer to an AUTH challenge (334): not commands");
        Meter.CreateObservableCounter("smtpmock.replies", Replies, "{reply}", "Replies sent, by code");
        Meter.CreateObservableCounter("smtpmock.faults.injected", Faults, "{reply}", "Times a scenario rule or failure address fired, by rule");
        Meter.CreateObservableCounter("smtpmock.messages.captured", () => Volatile.Read(ref _messages), "{message}", "Messages accepted and stored");
        Meter.CreateObservableCounter("smtpmock.messages.bytes", () => Volatile.Read(ref _bytes), "By", "Octets of the messages stored");
        Meter.CreateObservableUpDownCounter("smtpmock.connections.active", () => server.ActiveSessions, "{connection}", "Sessions open now");
    }

    /// <summary>This server's meter: listen to it (MeterListener, OpenTelemetry) by instance.</summary>
    public Meter Meter { get; }

    public void Dispose() => Meter.Dispose();

    void ISessionObserver.OnSessionStarted(in SessionStarted e) => Interlocked.Increment(ref _sessions);

    void ISessionObserver.OnCommandReceived(in CommandReceived e)
    {
        if (e.AuthResponse)
        {
            Interlocked.Increment(ref _authResponses);
            return;
        }

        Interlocked.Increment(ref _commands[(int)e.Verb]);
    }

    void ISessionObserver.OnReplySent(in ReplySent e)
    {
        // Raw bytes are not a reply (the rule that sent them is counted as it fired).
        if (e.Raw is null && e.Reply.Code is >= 100 and <= 599)
        {
            Interlocked.Increment(ref _replies[e.Reply.Code - 100]);
        }
    }

    void ISessionObserver.OnRuleFired(in RuleFired e) =>
        Interlocked.Increment(ref _faults.GetOrAdd(e.Rule, static _ => new StrongBox<long>()).Value);

    void ISessionObserver.OnMessageAnswered(in MessageAnswered e)
    {
        if (e.Message is { } message)
        {
            Interlocked.Increment(ref _messages);
            Interlocked.Add(ref _bytes, message.Size);
        }
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
}
