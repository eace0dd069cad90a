using System.Diagnostics.Metrics;
using SmtpMock.Control.Events;
using SmtpMock.Control.Model;
using SmtpMock.Server.Cluster;

namespace SmtpMock.Control.Tests;

/// <summary>Other instances' session frames, as heard over the bus, counted by instance for /metrics.</summary>
[TestFixture]
public sealed class ClusterSessionsTests
{
    [Test]
    public void Openings_and_closings_heard_are_counted_by_instance_and_anything_else_is_ignored()
    {
        using var meter = new Meter("ClusterSessionsTests." + Guid.NewGuid());
        using var sessions = new ClusterSessions(LocalEventBus.Instance, meter);
        var now = DateTimeOffset.UtcNow;

        sessions.OnBus(EventHub.SessionsTopic, EventHub.Frame(new ServerEvent("session-opened", now, 1, Instance: "a")));
        sessions.OnBus(EventHub.SessionsTopic, EventHub.Frame(new ServerEvent("session-opened", now, 2, Instance: "b")));
        sessions.OnBus(EventHub.SessionsTopic, EventHub.Frame(new ServerEvent("session-opened", now, 3, Instance: "b")));
        sessions.OnBus(EventHub.SessionsTopic, EventHub.Frame(new ServerEvent("session-closed", now, 2, Instance: "b")));
        sessions.OnBus(EventHub.SessionsTopic, EventHub.Frame(new ServerEvent("line", now, 2, "in", "NOOP", Instance: "b")));
        sessions.OnBus(EventHub.SessionsTopic, EventHub.Frame(new ServerEvent("session-opened", now, 4)));
        sessions.OnBus("other-topic", EventHub.Frame(new ServerEvent("session-opened", now, 5, Instance: "c")));
        sessions.OnBus(EventHub.SessionsTopic, "event: session-opened\ndata: {not json\n\n"u8.ToArray());
        sessions.OnBus(EventHub.SessionsTopic, ReadOnlyMemory<byte>.Empty);

        var read = Read(meter);
        Assert.That(read["smtpmock.cluster.sessions"], Is.EquivalentTo(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }));
        Assert.That(read["smtpmock.cluster.connections.active"], Is.EquivalentTo(new Dictionary<string, long> { ["a"] = 1, ["b"] = 1 }));
    }

    private static Dictionary<string, Dictionary<string, long>> Read(Meter meter)
    {
        var values = new Dictionary<string, Dictionary<string, long>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                values[instrument.Name] = [];
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => values[instrument.Name][(string)tags[0].Value!] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}
