using System.Net;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Bench;

/// <summary>
/// Managed allocations and GC collections per message with capture on (the in-memory store, default limits): the
/// server runs in this process on 127.0.0.1, port 0, and the same raw-socket client drives it. The figure counts the
/// client's allocations too, so it is an upper bound for the server's.
/// </summary>
internal static class Alloc
{
    public static async Task<string> RunAsync(int messages, int sessions, int types, bool reconnect, TextWriter error, CancellationToken ct)
    {
        using var sampler = types > 0 ? new AllocationSampler() : null;
        await using var server = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        await server.StartAsync(ct).ConfigureAwait(false);
        var limit = TimeSpan.FromSeconds(120);
        var warm = await Throughput.RunAsync(new ThroughputSettings(server.EndPoint, Math.Min(messages, 5000), sessions, 1024, reconnect, false, null, limit), error, ct).ConfigureAwait(false);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var gens = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        sampler?.Start();
        var run = await Throughput.RunAsync(new ThroughputSettings(server.EndPoint, messages, sessions, 1024, reconnect, false, null, limit), error, ct).ConfigureAwait(false);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        sampler?.Stop();
        foreach (var line in sampler?.Top(types) ?? [])
        {
            await error.WriteLineAsync($"alloc type {line}").ConfigureAwait(false);
        }

        var after = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var errors = warm.Errors + run.Errors;
        return $"alloc mode={(reconnect ? "reconnect" : "persist")} messages={run.Messages} sessions={sessions} alloc_bytes_per_msg={allocated / Math.Max(1, run.Messages)} "
            + $"gen0={after[0] - gens[0]} gen1={after[1] - gens[1]} gen2={after[2] - gens[2]} "
            + $"gen2_per_1000_msgs={(after[2] - gens[2]) * 1000.0 / Math.Max(1, run.Messages):0.###} captured_total={server.Messages.TotalCaptured} errors={errors}";
    }
}
