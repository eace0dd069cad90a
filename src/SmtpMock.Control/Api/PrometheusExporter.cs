using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
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
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, long>> _values = new();

    public PrometheusExporter(ServerMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                _values.TryAdd(instrument, new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
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
            if (series.IsEmpty)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name} 0\n");
            }

            foreach (var (labels, value) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value}\n");
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsGauge(Instrument instrument) =>
        instrument is ObservableUpDownCounter<int> or ObservableUpDownCounter<long> or UpDownCounter<int> or UpDownCounter<long>;

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_values.TryGetValue(instrument, out var series))
        {
            return;
        }

        var labels = Labels(tags);
        if (IsGauge(instrument) && instrument.IsObservable)
        {
            series[labels] = value;
            return;
        }

        series.AddOrUpdate(labels, value, (_, old) => old + value);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var text = new StringBuilder("{");
        foreach (var tag in tags)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            text.Append(tag.Key).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('"');
        }

        return text.Append('}').ToString();
    }
}
