using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Api;

/// <summary>
/// Listens to one server's meter and renders its instruments in the Prometheus text format (0.0.4): counters as
/// <c>name_total</c>, up-down counters as gauges, dots turned into underscores, tags as labels.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _values = new();

    public PrometheusExporter(ServerMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                _values.TryAdd(instrument, new Series());
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var (instrument, series) in _values.OrderBy(i => i.Key.Name, StringComparer.Ordinal))
        {
            var gauge = IsGauge(instrument);
            var name = instrument.Name.Replace('.', '_') + (gauge ? string.Empty : "_total");
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {instrument.Description}\n");
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {name} {(gauge ? "gauge" : "counter")}\n");
            if (series.Values.IsEmpty)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name} 0\n");
            }

            foreach (var (key, value) in series.Values.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var labels = series.TagName is null ? string.Empty : $"{{{series.TagName}=\"{Escape(key)}\"}}";
                text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {Interlocked.Read(ref value.Value)}\n");
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsGauge(Instrument instrument) =>
        instrument is ObservableUpDownCounter<int> or ObservableUpDownCounter<long> or UpDownCounter<int> or UpDownCounter<long>;

    /// <summary>
    /// Runs on the session's task for every measurement: no allocation once a series exists. The server's instruments
    /// carry at most one tag, so a series is keyed by that tag's value.
    /// </summary>
    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_values.TryGetValue(instrument, out var series))
        {
            return;
        }

        var key = string.Empty;
        if (!tags.IsEmpty)
        {
            series.TagName ??= tags[0].Key;
            key = tags[0].Value as string ?? Convert.ToString(tags[0].Value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        var cell = series.Values.GetOrAdd(key, static _ => new StrongBox<long>());
        // An observable instrument reports its current value (a counter its running total); others report deltas.
        if (instrument.IsObservable)
        {
            Interlocked.Exchange(ref cell.Value, value);
        }
        else
        {
            Interlocked.Add(ref cell.Value, value);
        }
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Series
    {
        public string? TagName { get; set; }

        public ConcurrentDictionary<string, StrongBox<long>> Values { get; } = new(StringComparer.Ordinal);
    }
}
