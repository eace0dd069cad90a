using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SmtpMock.Bench;

internal sealed record ConnsSettings(
    IPEndPoint EndPoint, int K, int? Pid, int Inflight, TimeSpan StepTimeout, TimeSpan Hold, TimeSpan MaxTime);

internal sealed record ConnsResult(string Line, int Ok, int Alive, bool ExtraClientOk, bool TimedOut, bool Complete);

/// <summary>
/// Holds K concurrent idle connections (banner + EHLO each), measures the server's RSS before and with them, checks
/// that one more client is still served (EHLO + NOOP answered 250) while they sit, checks that the idle ones are still
/// alive (NOOP each), then closes them all.
/// </summary>
internal static class Conns
{
    /// <summary>Descriptors this process needs besides the K sockets (runtime, stdio, the extra client...).</summary>
    public const int FdOverhead = 100;

    /// <summary>Checks the limits that would otherwise fail obscurely (EMFILE, EADDRNOTAVAIL); null when K fits.</summary>
    public static string? CheckLimits(int k, int? pid, TextWriter error)
    {
        if (FdLimit.Ensure(k + FdOverhead) is { } fdProblem)
        {
            return $"conns -k {k}: {fdProblem}";
        }

        if (EphemeralPorts.Count() is { } ports && ports < k + 1)
        {
            return $"conns -k {k}: only {ports} local ports (net.ipv4.ip_local_port_range) for connections to one server port; use a smaller -k";
        }

        if (pid is { } p && ProcStats.OpenFilesLimit(p) is { } serverLimit && serverLimit < k + 20)
        {
            error.WriteLine($"smtpmock-bench: warning: the server (pid {p}) may open only {serverLimit} files, fewer than -k {k}; "
                            + $"start it with a higher `ulimit -n` (e.g. {FdLimit.RoundUp(k + 1000)}) or expect failed connections");
        }

        return null;
    }

    public static async Task<ConnsResult> RunAsync(ConnsSettings s, TextWriter error, CancellationToken ct)
    {
        using var timeLimit = new CancellationTokenSource(s.MaxTime);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, timeLimit.Token);
        var token = stop.Token;
        var fails = new ConcurrentDictionary<string, int>();
        var baseRss = s.Pid is { } p0 ? ProcStats.StatusKib(p0, "VmRSS") : null;

        using var gate = new SemaphoreSlim(s.Inflight);
        var t0 = Stopwatch.GetTimestamp();
        var tasks = new Task<SmtpConnection?>[s.K];
        for (var i = 0; i < s.K; i++)
        {
            tasks[i] = HandshakeAsync(s, gate, fails, token);
        }

        var opened = await Task.WhenAll(tasks).ConfigureAwait(false);
        var conns = opened.Where(c => c is not null).Select(c => c!).ToList();
        var openSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var openRss = s.Pid is { } p1 ? ProcStats.StatusKib(p1, "VmRSS") : null;

        try
        {
            try
            {
                await Task.Delay(s.Hold, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            var holdRss = s.Pid is { } p2 ? ProcStats.StatusKib(p2, "VmRSS") : null;
            if (holdRss > openRss || openRss is null)
            {
                openRss = holdRss;
            }

            // One more client while all of them sit: is it still served?
            var extra = Stopwatch.GetTimestamp();
            var extraProblem = await ExtraClientAsync(s, ct).ConfigureAwait(false);
            var extraMs = Stopwatch.GetElapsedTime(extra).TotalMilliseconds;
            if (extraProblem is not null)
            {
                await error.WriteLineAsync($"smtpmock-bench: conns: the extra client was not served: {extraProblem}").ConfigureAwait(false);
            }

            // Are the idle ones still alive? One NOOP each.
            using var noopTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            noopTimeout.CancelAfter(s.StepTimeout + TimeSpan.FromSeconds(conns.Count / 1000));
            var alive = (await Task.WhenAll(conns.Select(c => NoopAsync(c, noopTimeout.Token))).ConfigureAwait(false)).Count(ok => ok);
            var hwm = s.Pid is { } p3 ? ProcStats.StatusKib(p3, "VmHWM") : null;

            var timedOut = timeLimit.IsCancellationRequested;
            if (timedOut)
            {
                await error.WriteLineAsync($"smtpmock-bench: conns stopped opening at --max-seconds {s.MaxTime.TotalSeconds:0} with {conns.Count} open").ConfigureAwait(false);
            }

            var line = new KvLine()
                .Add("conns ok", conns.Count)
                .Add("of_k", s.K)
                .Add("alive_after_hold", alive)
                .Add("extra_client", extraProblem is null ? "ok" : "failed")
                .Add("extra_client_ms", extraMs, "0.0")
                .Add("open_seconds", openSeconds, "0.00")
                .Add("server_rss_base_kib", baseRss)
                .Add("server_rss_open_kib", openRss)
                .Add("kib_per_conn", baseRss is { } b && openRss is { } o && conns.Count > 0 ? (double)(o - b) / conns.Count : null, "0.0")
                .Add("server_peak_rss_kib", hwm)
                .Add("errors", s.K - conns.Count + (conns.Count - alive) + (extraProblem is null ? 0 : 1))
                .Add("fails", fails.IsEmpty ? "none" : string.Join(',', fails.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}:{f.Value}")))
                .Add("timed_out", timedOut ? 1 : 0);
            var complete = conns.Count == s.K && alive == s.K && extraProblem is null;
            return new ConnsResult(line.ToString(), conns.Count, alive, extraProblem is null, timedOut, complete);
        }
        finally
        {
            foreach (var c in conns)
            {
                c.Dispose();
            }
        }
    }

    private static async Task<SmtpConnection?> HandshakeAsync(
        ConnsSettings s, SemaphoreSlim gate, ConcurrentDictionary<string, int> fails, CancellationToken token)
    {
        try
        {
            await gate.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            fails.AddOrUpdate("max-seconds", 1, (_, n) => n + 1);
            return null;
        }

        var stage = "connect";
        SmtpConnection? c = null;
        try
        {
            using var step = CancellationTokenSource.CreateLinkedTokenSource(token);
            step.CancelAfter(s.StepTimeout);
            c = await SmtpConnection.ConnectAsync(s.EndPoint, step.Token).ConfigureAwait(false);
            stage = "banner";
            await c.ExpectAsync(220, "banner", step.Token).ConfigureAwait(false);
            stage = "ehlo";
            await c.EhloAsync(Wire.Ehlo, step.Token).ConfigureAwait(false);
            return c;
        }
        catch (Exception e) when (e is SocketException or SmtpBenchException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            var kind = e switch
            {
                OperationCanceledException when token.IsCancellationRequested => "max-seconds",
                OperationCanceledException => "timeout",
                SocketException se => se.SocketErrorCode.ToString(),
                SmtpBenchException sb when sb.Message.Contains("closed", StringComparison.Ordinal) => "closed",
                SmtpBenchException => "reply",
                _ => e.GetType().Name,
            };
            fails.AddOrUpdate($"{stage}:{kind}", 1, (_, n) => n + 1);
            c?.Dispose();
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<string?> ExtraClientAsync(ConnsSettings s, CancellationToken ct)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
        step.CancelAfter(s.StepTimeout);
        try
        {
            using var c = await SmtpConnection.OpenAsync(s.EndPoint, step.Token).ConfigureAwait(false);
            await c.EhloAsync(Wire.Ehlo, step.Token).ConfigureAwait(false);
            await c.CommandAsync(Wire.Noop, 250, "NOOP", step.Token).ConfigureAwait(false);
            await c.QuitAndCloseAsync(step.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is SocketException or SmtpBenchException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return e is OperationCanceledException ? $"no reply within {s.StepTimeout.TotalSeconds:0} s" : e.Message;
        }
    }

    private static async Task<bool> NoopAsync(SmtpConnection c, CancellationToken ct)
    {
        try
        {
            await c.CommandAsync(Wire.Noop, 250, "NOOP", ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or SmtpBenchException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }
}
