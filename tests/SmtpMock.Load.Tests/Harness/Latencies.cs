using System.Globalization;

namespace SmtpMock.Load.Tests.Harness;

/// <summary>Durations of one kind of step (a transaction, a greeting), with their percentiles (nearest rank).</summary>
internal sealed class Latencies(string what)
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Add(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    /// <summary>The smallest duration that <paramref name="percent"/> % of them do not exceed, in milliseconds.</summary>
    public double Percentile(double percent)
    {
        lock (_gate)
        {
            Assert.That(_milliseconds, Is.Not.Empty, $"no {what} was timed");
            var sorted = _milliseconds.Order().ToArray();
            var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }

    public double Max => Percentile(100);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{what}: {Count} timed, p50 {Percentile(50):0.00} ms, p90 {Percentile(90):0.00} ms, p99 {Percentile(99):0.00} ms, max {Max:0.00} ms");
}
