using System.Net;

namespace SmtpMock.Bench;

/// <summary>Every command once with tiny counts, for CI: passes only if every phase completed with 0 errors.</summary>
internal static class Smoke
{
    /// <summary>No phase may take longer than this, whatever is left of the overall budget.</summary>
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(30);

    public static async Task<bool> RunAsync(IPEndPoint endPoint, int? pid, TimeSpan maxTime, CancellationToken ct)
    {
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        overall.CancelAfter(maxTime);
        var token = overall.Token;
        var failed = new List<string>();
        var error = Console.Error;

        TimeSpan Limit() => PhaseLimit < maxTime ? PhaseLimit : maxTime;

        void Report(string phase, string line, bool ok)
        {
            Console.WriteLine($"smoke {phase}: {line}");
            if (!ok)
            {
                failed.Add(phase);
            }
        }

        var tp = new (string Name, int Messages, bool Reconnect, bool Pipelining)[]
        {
            ("throughput-persist", 200, false, false),
            ("throughput-pipelining", 200, false, true),
            ("throughput-reconnect", 40, true, false),
        };
        foreach (var (name, messages, reconnect, pipelining) in tp)
        {
            var r = await Throughput.RunAsync(
                new ThroughputSettings(endPoint, messages, 4, 1024, reconnect, pipelining, pid, Limit()), error, token).ConfigureAwait(false);
            Report(name, r.Line, r.Complete);
        }

        foreach (var (name, n, warmup, reconnect) in new[] { ("latency-persist", 50, 5, false), ("latency-reconnect", 20, 2, true) })
        {
            var r = await Latency.RunAsync(new LatencySettings(endPoint, n, warmup, 1024, reconnect, Limit()), error, token).ConfigureAwait(false);
            Report(name, r.Line, r.Complete);
        }

        const int k = 50;
        if (Conns.CheckLimits(k, pid, error) is { } problem)
        {
            Report("conns", problem, false);
        }
        else
        {
            var r = await Conns.RunAsync(
                new ConnsSettings(endPoint, k, pid, 25, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), Limit()), error, token).ConfigureAwait(false);
            Report("conns", r.Line, r.Complete);
        }

        if (overall.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            failed.Add($"max-seconds {maxTime.TotalSeconds:0}");
        }

        Console.WriteLine(failed.Count == 0 ? "smoke ok" : $"smoke FAILED: {string.Join(", ", failed)}");
        return failed.Count == 0;
    }
}
