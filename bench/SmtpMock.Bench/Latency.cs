using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Bench;

internal sealed record LatencySettings(IPEndPoint EndPoint, int Transactions, int Warmup, int Size, bool Reconnect, TimeSpan MaxTime);

internal sealed record LatencyResult(string Line, string PerCommandLine, int Transactions, int Errors, bool TimedOut, bool Complete);

/// <summary>
/// One client, strictly sequential transactions (one command outstanding at a time): EHLO, MAIL, RCPT, DATA, a body,
/// RSET. In reconnect mode each transaction also connects and reads the banner first (then QUIT, untimed).
/// </summary>
internal static class Latency
{
    private const int MaxErrors = 10;
    private static readonly string[] Steps = ["CONNECT", "EHLO", "MAIL", "RCPT", "DATA", "BODY", "RSET"];

    public static async Task<LatencyResult> RunAsync(LatencySettings s, TextWriter error, CancellationToken ct)
    {
        var message = Wire.Message(s.Size);

        // Blocking socket calls on one thread: the cheapest and least noisy client for a sequential measurement.
        // The deadline (or Ctrl+C) closes the socket, which unblocks the thread.
        var registry = new SocketRegistry();
        var timedOutFlag = 0;
        using var timer = new Timer(_ => { Volatile.Write(ref timedOutFlag, 1); registry.CloseAll(); }, null, s.MaxTime, Timeout.InfiniteTimeSpan);
        using var onCancel = ct.Register(registry.CloseAll);

        var times = Steps.ToDictionary(k => k, _ => new List<long>(s.Transactions));
        var txn = new List<long>(s.Transactions);
        var errors = 0;
        string? firstError = null;
        long measuredStart = 0;

        void Run()
        {
            var sample = new long[Steps.Length];
            SmtpConnection? c = null;
            try
            {
                for (var i = 0; i < s.Warmup + s.Transactions && !registry.IsClosed; i++)
                {
                    if (i == s.Warmup)
                    {
                        measuredStart = Stopwatch.GetTimestamp();
                    }

                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        var t = t0;
                        if (c is null)
                        {
                            c = SmtpConnection.Open(s.EndPoint, registry);
                            if (!s.Reconnect)
                            {
                                // Persistent mode: the connection and banner are set-up, not part of a transaction.
                                t0 = t = Stopwatch.GetTimestamp();
                            }
                        }

                        sample[0] = Lap(ref t);
                        c.Ehlo(Wire.Ehlo);
                        sample[1] = Lap(ref t);
                        c.Command(Wire.Mail, 250, "MAIL");
                        sample[2] = Lap(ref t);
                        c.Command(Wire.Rcpt, 250, "RCPT");
                        sample[3] = Lap(ref t);
                        c.Command(Wire.Data, 354, "DATA");
                        sample[4] = Lap(ref t);
                        c.Command(message, 250, "end of DATA");
                        sample[5] = Lap(ref t);
                        c.Command(Wire.Rset, 250, "RSET");
                        sample[6] = Lap(ref t);
                        var total = t - t0;

                        if (s.Reconnect)
                        {
                            registry.Untrack(c.Socket);
                            c.QuitAndClose();
                            c = null;
                        }

                        if (i >= s.Warmup)
                        {
                            txn.Add(total);
                            for (var k = s.Reconnect ? 0 : 1; k < Steps.Length; k++)
                            {
                                times[Steps[k]].Add(sample[k]);
                            }
                        }
                    }
                    catch (Exception e) when (e is SocketException or SmtpBenchException or IOException or ObjectDisposedException or OperationCanceledException)
                    {
                        if (registry.IsClosed)
                        {
                            break; // stopped: not an error of the server
                        }

                        errors++;
                        firstError ??= $"transaction {i}: {e.Message}";
                        if (c is not null)
                        {
                            registry.Untrack(c.Socket);
                            c.Dispose();
                            c = null;
                        }

                        if (errors >= MaxErrors)
                        {
                            break;
                        }
                    }
                }
            }
            finally
            {
                if (c is not null)
                {
                    registry.Untrack(c.Socket);
                    c.QuitAndClose();
                }
            }
        }

        await Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);

        var elapsed = measuredStart == 0 ? 0 : Stopwatch.GetElapsedTime(measuredStart).TotalSeconds;
        var timedOut = Volatile.Read(ref timedOutFlag) == 1;
        var mode = s.Reconnect ? "reconnect" : "persist";
        if (timedOut)
        {
            await error.WriteLineAsync($"smtpmock-bench: latency {mode} stopped at --max-seconds {s.MaxTime.TotalSeconds:0} after {txn.Count} transactions").ConfigureAwait(false);
        }

        if (firstError is not null)
        {
            await error.WriteLineAsync($"smtpmock-bench: latency {mode}: {errors} error(s); first: {firstError}").ConfigureAwait(false);
        }

        txn.Sort();
        var line = new KvLine()
            .Add("latency mode", mode)
            .Add("n", txn.Count)
            .Add("errors", errors)
            .Add("txn_p50_us", Percentiles.Of(txn, 50), "0.0")
            .Add("txn_p99_us", Percentiles.Of(txn, 99), "0.0")
            .Add("txn_p999_us", Percentiles.Of(txn, 99.9), "0.0")
            .Add("txn_mean_us", txn.Count > 0 ? Percentiles.Us((long)txn.Average()) : null, "0.0")
            .Add("txn_max_us", txn.Count > 0 ? Percentiles.Us(txn[^1]) : null, "0.0")
            .Add("txns_per_s", elapsed > 0 ? txn.Count / elapsed : null, "0.0")
            .Add("timed_out", timedOut ? 1 : 0);

        var perCommand = new StringBuilder("  per-command p50/p99/p99.9 us:");
        foreach (var name in Steps)
        {
            var v = times[name];
            if (v.Count == 0)
            {
                continue;
            }

            v.Sort();
            perCommand.Append(CultureInfo.InvariantCulture,
                $" {name}={Percentiles.Of(v, 50):0}/{Percentiles.Of(v, 99):0}/{Percentiles.Of(v, 99.9):0}");
        }

        return new LatencyResult(line.ToString(), perCommand.ToString(), txn.Count, errors, timedOut,
            txn.Count == s.Transactions && errors == 0);
    }

    private static long Lap(ref long t)
    {
        var now = Stopwatch.GetTimestamp();
        var d = now - t;
        t = now;
        return d;
    }
}
