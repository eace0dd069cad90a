using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SmtpMock.Bench;

internal sealed record ThroughputSettings(
    IPEndPoint EndPoint, int Messages, int Sessions, int Size, bool Reconnect, bool Pipelining, int? Pid, TimeSpan MaxTime);

internal sealed record ThroughputResult(
    string Line, long Messages, long Errors, bool TimedOut, bool Complete, string? FirstError);

/// <summary>
/// N messages over S concurrent sessions. Persistent: each session connects once, EHLO, then MAIL/RCPT/DATA/body per
/// message. Reconnect: a new connection, EHLO, one message and QUIT per message. With pipelining (and only if the
/// server advertised PIPELINING) MAIL, RCPT and DATA go out in one write.
/// </summary>
internal static class Throughput
{
    /// <summary>A run stops early after this many failed messages (a server that is down would otherwise spin).</summary>
    private const int MaxErrors = 100;

    public static async Task<ThroughputResult> RunAsync(ThroughputSettings s, TextWriter error, CancellationToken ct)
    {
        var message = Wire.Message(s.Size);

        // One thread per session with blocking socket calls: on loopback that costs the client far less CPU than
        // async I/O (no epoll wake-up and thread-pool hop per reply), so more of the 2 cores go to the server.
        // The deadline (or Ctrl+C, or too many errors) closes every socket, which unblocks the threads.
        var registry = new SocketRegistry();
        var timedOutFlag = 0;
        using var timer = new Timer(_ => { Volatile.Write(ref timedOutFlag, 1); registry.CloseAll(); }, null, s.MaxTime, Timeout.InfiniteTimeSpan);
        using var onCancel = ct.Register(registry.CloseAll);

        long claimed = 0, done = 0, errors = 0;
        var dataTo250 = new List<long>[s.Sessions];
        string? firstError = null;
        var advertised = 0; // 0 unknown, 1 no, 2 yes

        void Worker(object? slot)
        {
            var waits = dataTo250[(int)slot!] = new List<long>(s.Messages / s.Sessions + 1);
            SmtpConnection? c = null;
            try
            {
                while (!registry.IsClosed && Interlocked.Increment(ref claimed) <= s.Messages)
                {
                    try
                    {
                        if (c is null)
                        {
                            c = SmtpConnection.Open(s.EndPoint, registry);
                            c.Ehlo(Wire.Ehlo);
                            Volatile.Write(ref advertised, c.Pipelining ? 2 : 1);
                        }

                        if (s.Pipelining && c.Pipelining)
                        {
                            c.Send(Wire.MailRcptData);
                            c.Expect(250, "MAIL");
                            c.Expect(250, "RCPT");
                            c.Expect(354, "DATA");
                        }
                        else
                        {
                            c.Command(Wire.Mail, 250, "MAIL");
                            c.Command(Wire.Rcpt, 250, "RCPT");
                            c.Command(Wire.Data, 354, "DATA");
                        }

                        var sent = Stopwatch.GetTimestamp();
                        c.Command(message, 250, "end of DATA");
                        waits.Add(Stopwatch.GetTimestamp() - sent);
                        Interlocked.Increment(ref done);
                        if (s.Reconnect)
                        {
                            registry.Untrack(c.Socket);
                            c.QuitAndClose();
                            c = null;
                        }
                    }
                    catch (Exception e) when (e is SocketException or SmtpBenchException or IOException or ObjectDisposedException or OperationCanceledException)
                    {
                        if (registry.IsClosed)
                        {
                            break; // stopped: not an error of the server
                        }

                        if (Interlocked.Increment(ref errors) == 1)
                        {
                            firstError = e.Message;
                        }

                        if (c is not null)
                        {
                            registry.Untrack(c.Socket);
                            c.Dispose();
                            c = null;
                        }

                        if (Interlocked.Read(ref errors) >= MaxErrors)
                        {
                            registry.CloseAll();
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

        var cpu0 = s.Pid is { } p0 ? ProcStats.CpuSeconds(p0) : null;
        var own0 = ProcStats.OwnCpuSeconds();
        var t0 = Stopwatch.GetTimestamp();
        var threads = new Thread[s.Sessions];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(Worker, 256 * 1024) { IsBackground = true, Name = $"session {i}" };
            threads[i].Start(i);
        }

        await Task.Run(() =>
        {
            foreach (var t in threads)
            {
                t.Join();
            }
        }, CancellationToken.None).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var own1 = ProcStats.OwnCpuSeconds();
        var cpu1 = s.Pid is { } p1 ? ProcStats.CpuSeconds(p1) : null;

        var timedOut = Volatile.Read(ref timedOutFlag) == 1;
        if (timedOut)
        {
            await error.WriteLineAsync($"smtpmock-bench: throughput stopped at --max-seconds {s.MaxTime.TotalSeconds:0} after {done} messages").ConfigureAwait(false);
        }

        if (firstError is not null)
        {
            await error.WriteLineAsync($"smtpmock-bench: throughput: {errors} error(s); first: {firstError}").ConfigureAwait(false);
        }

        // From the body's first byte written (after 354) to the 250 read: the server's end-of-data work, the store's
        // commit included, as each session saw it under this load.
        var waited = dataTo250.Where(w => w is not null).SelectMany(w => w).ToList();
        waited.Sort();
        var pipeliningUsed = s.Pipelining && advertised == 2;
        if (s.Pipelining && advertised == 1)
        {
            await error.WriteLineAsync("smtpmock-bench: the server did not advertise PIPELINING: sent one command at a time").ConfigureAwait(false);
        }

        var line = new KvLine()
            .Add("mode", s.Reconnect ? "reconnect" : "persist")
            .Add("pipelining", pipeliningUsed ? "on" : "off")
            .Add("msgs_per_s", seconds > 0 ? done / seconds : 0, "0.0")
            .Add("messages", done)
            .Add("sessions", s.Sessions)
            .Add("size", s.Size)
            .Add("seconds", seconds, "0.000")
            .Add("errors", errors)
            .Add("data_250_p50_us", Percentiles.Of(waited, 50), "0.0")
            .Add("data_250_p99_us", Percentiles.Of(waited, 99), "0.0")
            .Add("data_250_max_us", waited.Count > 0 ? Percentiles.Us(waited[^1]) : null, "0.0");
        if (s.Pid is { } pid)
        {
            line.Add("server_cpu_us_per_msg", cpu0 is { } a && cpu1 is { } b && done > 0 ? (b - a) / done * 1e6 : null, "0.0")
                .Add("server_cpu_s", cpu0 is { } a2 && cpu1 is { } b2 ? b2 - a2 : null, "0.00")
                .Add("server_peak_rss_kib", ProcStats.StatusKib(pid, "VmHWM"));
        }

        line.Add("client_cpu_us_per_msg", done > 0 ? (own1 - own0) / done * 1e6 : null, "0.0")
            .Add("pipelining_advertised", advertised switch { 2 => "yes", 1 => "no", _ => "unknown" })
            .Add("timed_out", timedOut ? 1 : 0);

        return new ThroughputResult(line.ToString(), done, errors, timedOut, done == s.Messages && errors == 0, firstError);
    }
}
