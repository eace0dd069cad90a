using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SmtpMock.Server.Cluster;

namespace SmtpMock.Control.Events;

/// <summary>
/// The other instances' sessions in this instance's metrics: the session-opened and session-closed frames they send
/// over the event bus are counted by their <c>instance</c>, so <c>/metrics</c> on any replica shows every replica's
/// sessions (<c>smtpmock_cluster_sessions_total{instance=...}</c>, <c>smtpmock_cluster_connections_active{...}</c>)
/// beside its own (<c>smtpmock_sessions_total</c>). Counted from this instance's start, as heard: what a bus drops
/// while Redis is down is not counted. A lone process hears nothing, and shows no series.
/// </summary>
internal sealed class ClusterSessions : IDisposable
{
    private static readonly byte[] Opened = "event: session-opened\n"u8.ToArray();
    private static readonly byte[] Closed = "event: session-closed\n"u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();

    private readonly IEventBus _bus;
    private readonly ConcurrentDictionary<string, Counts> _instances = new(StringComparer.Ordinal);

    public ClusterSessions(IEventBus bus, Meter meter)
    {
        _bus = bus;
        meter.CreateObservableCounter("smtpmock.cluster.sessions", () => Measure(static c => Volatile.Read(ref c.Opened.Value)), "{session}", "Sessions other instances opened, by instance (heard over the event bus since this instance started)");
        meter.CreateObservableUpDownCounter("smtpmock.cluster.connections.active", () => Measure(static c => Volatile.Read(ref c.Opened.Value) - Volatile.Read(ref c.Closed.Value)), "{connection}", "Sessions open now on other instances, by instance (as heard over the event bus)");
        bus.Received += OnBus;
    }

    public void Dispose() => _bus.Received -= OnBus;

    /// <summary>Counts one frame another instance sent; anything but a session opening or closing with an instance is ignored.</summary>
    internal void OnBus(string topic, ReadOnlyMemory<byte> frame)
    {
        if (topic != EventHub.SessionsTopic)
        {
            return;
        }

        var bytes = frame.Span;
        var opened = bytes.StartsWith(Opened);
        if ((!opened && !bytes.StartsWith(Closed)) || InstanceOf(bytes[Opened.Length..]) is not { Length: > 0 } instance)
        {
            return;
        }

        var counts = _instances.GetOrAdd(instance, static _ => new Counts());
        Interlocked.Increment(ref (opened ? counts.Opened : counts.Closed).Value);
    }

    private static string? InstanceOf(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith(DataPrefix))
        {
            return null;
        }

        try
        {
            var json = new Utf8JsonReader(data[DataPrefix.Length..].TrimEnd((byte)'\n'));
            while (json.Read())
            {
                if (json is { TokenType: JsonTokenType.PropertyName, CurrentDepth: 1 } && json.ValueTextEquals("instance"u8) && json.Read())
                {
                    return json.TokenType == JsonTokenType.String ? json.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not one of ours: a frame another version sent, or garbage on the channel. Not counted.
        }

        return null;
    }

    private IEnumerable<Measurement<long>> Measure(Func<Counts, long> value)
    {
        foreach (var (instance, counts) in _instances)
        {
            yield return new Measurement<long>(value(counts), new KeyValuePair<string, object?>("instance", instance));
        }
    }

    private sealed class Counts
    {
        public readonly StrongBox<long> Opened = new();
        public readonly StrongBox<long> Closed = new();
    }
}
