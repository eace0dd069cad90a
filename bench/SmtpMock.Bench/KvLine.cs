using System.Globalization;
using System.Text;

namespace SmtpMock.Bench;

/// <summary>A result line of space-separated key=value pairs (NA for a value that could not be measured).</summary>
internal sealed class KvLine
{
    private readonly StringBuilder _sb = new();

    public KvLine Add(string key, string value)
    {
        if (_sb.Length > 0)
        {
            _sb.Append(' ');
        }

        _sb.Append(key).Append('=').Append(value);
        return this;
    }

    public KvLine Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    public KvLine Add(string key, long? value) => Add(key, value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "NA");

    public KvLine Add(string key, double? value, string format) =>
        Add(key, value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "NA");

    public override string ToString() => _sb.ToString();
}

/// <summary>Nearest-rank percentiles over Stopwatch tick samples, in microseconds.</summary>
internal static class Percentiles
{
    public static double Us(long ticks) => ticks * 1e6 / System.Diagnostics.Stopwatch.Frequency;

    /// <summary>The nearest-rank percentile of sorted samples (p in 0..100); NaN when empty.</summary>
    public static double Of(List<long> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return Us(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)]);
    }
}
