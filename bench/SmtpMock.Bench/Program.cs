using System.CommandLine;
using System.Net;
using SmtpMock.Bench;

// smtpmock-bench: drives any SMTP server over loopback (see bench/README.md).
// Exit codes: 0 all good, 1 the run had errors or did not complete, 2 bad usage (bad flags, non-loopback host,
// open-files limit too low).
var root = Cli.Create();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var problem in parse.Errors)
    {
        Console.Error.WriteLine($"smtpmock-bench: {problem.Message}");
    }

    Console.Error.WriteLine("Run 'smtpmock-bench --help' (or 'smtpmock-bench COMMAND --help') for the options.");
    return Cli.UsageError;
}

return await parse.InvokeAsync().ConfigureAwait(false);

namespace SmtpMock.Bench
{
    internal static class Cli
    {
        public const int UsageError = 2;
        private const int Failed = 1;

        public static RootCommand Create()
        {
            var root = new RootCommand(
                "smtpmock-bench: throughput, latency and idle-connection load against any SMTP server on loopback (127.0.0.0/8, ::1, localhost only).");
            root.Subcommands.Add(ThroughputCommand());
            root.Subcommands.Add(LatencyCommand());
            root.Subcommands.Add(ConnsCommand());
            root.Subcommands.Add(SmokeCommand());
            root.Subcommands.Add(AllocCommand());
            root.Subcommands.Add(HandshakesCommand());
            return root;
        }

        private static Option<string> HostOption() =>
            new("--host") { Description = "Server address: loopback only (127.0.0.0/8, ::1, localhost)", DefaultValueFactory = _ => "127.0.0.1" };

        private static Option<int> PortOption() =>
            new("--port", "-p") { Description = "Server port", DefaultValueFactory = _ => 2525 };

        private static Option<int> MaxSecondsOption(int byDefault = 120) =>
            Bounded(new Option<int>("--max-seconds") { Description = "Stop and report after this many seconds", DefaultValueFactory = _ => byDefault }, 1, 3600);

        private static Option<int?> PidOption() =>
            new("--pid") { Description = "The server's process id: its CPU time and memory are read from /proc/PID" };

        private static Option<int> Bounded(Option<int> option, int min, int max)
        {
            option.Validators.Add(result =>
            {
                var v = result.GetValueOrDefault<int>();
                if (v < min || v > max)
                {
                    result.AddError($"{option.Name} {v} is outside {min}-{max}");
                }
            });
            return option;
        }

        private static Command AllocCommand()
        {
            var messages = Bounded(new Option<int>("--messages", "-m") { Description = "Measured messages", DefaultValueFactory = _ => 20000 }, 100, 1_000_000);
            var sessions = Bounded(new Option<int>("--sessions", "-s") { Description = "Concurrent sessions", DefaultValueFactory = _ => 20 }, 1, 500);
            var types = Bounded(new Option<int>("--types") { Description = "Also print the N types that allocate the most (sampled GC allocation ticks) on stderr", DefaultValueFactory = _ => 0 }, 0, 200);
            var command = new Command("alloc", "Runs SmtpMock in this process and reports managed allocations and GC collections per message (server and load client together)");
            command.Options.Add(messages);
            command.Options.Add(sessions);
            command.Options.Add(types);
            var reconnect = new Option<bool>("--reconnect") { Description = "One connection per message (what a connection costs) instead of persistent sessions" };
            command.Options.Add(reconnect);
            command.SetAction(async (ParseResult p, CancellationToken ct) =>
            {
                var line = await Alloc.RunAsync(p.GetValue(messages), p.GetValue(sessions), p.GetValue(types), p.GetValue(reconnect), Console.Error, ct).ConfigureAwait(false);
                Console.WriteLine(line);
                return line.Contains("errors=0", StringComparison.Ordinal) ? 0 : Failed;
            });
            return command;
        }

        private static Command HandshakesCommand()
        {
            var host = HostOption();
            var port = PortOption();
            var n = Bounded(new Option<int>("-n", "--connections") { Description = "Connections of each kind, one after another", DefaultValueFactory = _ => 500 }, 1, 100_000);
            var pid = PidOption();
            var maxSeconds = MaxSecondsOption();
            var command = new Command("handshakes", "Connections per second plain, with STARTTLS, and for a bare SslStream handshake in this process (the reference)");
            foreach (var o in new Option[] { host, port, n, pid, maxSeconds })
            {
                command.Options.Add(o);
            }

            command.SetAction(async (ParseResult p, CancellationToken ct) =>
            {
                if (!Resolve(p, host, port, out var endPoint) || !CheckPid(p.GetValue(pid)))
                {
                    return UsageError;
                }

                try
                {
                    Console.WriteLine(await Handshakes.RunAsync(endPoint, p.GetValue(n), p.GetValue(pid), TimeSpan.FromSeconds(p.GetValue(maxSeconds)), ct).ConfigureAwait(false));
                    return 0;
                }
                catch (Exception e) when (e is SmtpBenchException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                {
                    Console.Error.WriteLine($"smtpmock-bench: handshakes: {e.Message}");
                    return Failed;
                }
            });
            return command;
        }

        private static Command ThroughputCommand()
        {
            var host = HostOption();
            var port = PortOption();
            var messages = Bounded(new Option<int>("--messages", "-m") { Description = "Messages in total", DefaultValueFactory = _ => 20000 }, 1, 1_000_000);
            var sessions = Bounded(new Option<int>("--sessions", "-s") { Description = "Concurrent sessions", DefaultValueFactory = _ => 20 }, 1, 5000);
            var size = Bounded(new Option<int>("--size", "-l") { Description = "Payload bytes per message (headers not counted, like smtp-source -l)", DefaultValueFactory = _ => 1024 }, 0, 50 * 1024 * 1024);
            var reconnect = new Option<bool>("--reconnect") { Description = "A new connection (banner, EHLO, one message, QUIT) per message" };
            var pipelining = new Option<bool>("--pipelining") { Description = "Send MAIL, RCPT and DATA in one write (only if the server advertises PIPELINING)" };
            var pid = PidOption();
            var maxSeconds = MaxSecondsOption();
            var command = new Command("throughput", "N messages over S concurrent sessions; prints msgs/s (and the server's CPU per message and peak RSS with --pid)");
            foreach (var o in new Option[] { host, port, messages, sessions, size, reconnect, pipelining, pid, maxSeconds })
            {
                command.Options.Add(o);
            }

            command.SetAction(async (ParseResult p, CancellationToken ct) =>
            {
                if (!Resolve(p, host, port, out var endPoint) || !CheckPid(p.GetValue(pid)))
                {
                    return UsageError;
                }

                var r = await Throughput.RunAsync(
                    new ThroughputSettings(endPoint, p.GetValue(messages), p.GetValue(sessions), p.GetValue(size),
                        p.GetValue(reconnect), p.GetValue(pipelining), p.GetValue(pid), TimeSpan.FromSeconds(p.GetValue(maxSeconds))),
                    Console.Error, ct).ConfigureAwait(false);
                Console.WriteLine(r.Line);
                return r.Complete ? 0 : Failed;
            });
            return command;
        }

        private static Command LatencyCommand()
        {
            var host = HostOption();
            var port = PortOption();
            var n = Bounded(new Option<int>("-n", "--transactions") { Description = "Measured transactions", DefaultValueFactory = _ => 2000 }, 1, 1_000_000);
            var warmup = Bounded(new Option<int>("--warmup") { Description = "Unmeasured transactions first", DefaultValueFactory = _ => 100 }, 0, 100_000);
            var size = Bounded(new Option<int>("--size", "-l") { Description = "Payload bytes per message", DefaultValueFactory = _ => 1024 }, 0, 50 * 1024 * 1024);
            var reconnect = new Option<bool>("--reconnect") { Description = "Each transaction also connects and reads the banner (then QUIT, untimed)" };
            var maxSeconds = MaxSecondsOption();
            var command = new Command("latency", "One client, sequential EHLO/MAIL/RCPT/DATA/body/RSET transactions; p50/p99/p99.9 microseconds per transaction and per command");
            foreach (var o in new Option[] { host, port, n, warmup, size, reconnect, maxSeconds })
            {
                command.Options.Add(o);
            }

            command.SetAction(async (ParseResult p, CancellationToken ct) =>
            {
                if (!Resolve(p, host, port, out var endPoint))
                {
                    return UsageError;
                }

                var r = await Latency.RunAsync(
                    new LatencySettings(endPoint, p.GetValue(n), p.GetValue(warmup), p.GetValue(size), p.GetValue(reconnect),
                        TimeSpan.FromSeconds(p.GetValue(maxSeconds))),
                    Console.Error, ct).ConfigureAwait(false);
                Console.WriteLine(r.Line);
                Console.WriteLine(r.PerCommandLine);
                return r.Complete ? 0 : Failed;
            });
            return command;
        }

        private static Command ConnsCommand()
        {
            var host = HostOption();
            var port = PortOption();
            var k = Bounded(new Option<int>("-k", "--connections") { Description = "Concurrent idle connections to hold", DefaultValueFactory = _ => 10000 }, 1, 60000);
            var pid = PidOption();
            var inflight = Bounded(new Option<int>("--inflight") { Description = "Handshakes in progress at once while opening", DefaultValueFactory = _ => 100 }, 1, 10000);
            var stepTimeout = Bounded(new Option<int>("--step-timeout") { Description = "Seconds allowed for each connect, banner, EHLO and NOOP", DefaultValueFactory = _ => 10 }, 1, 600);
            var hold = Bounded(new Option<int>("--hold") { Description = "Seconds to hold them all open before the checks", DefaultValueFactory = _ => 2 }, 0, 600);
            var maxSeconds = MaxSecondsOption();
            var command = new Command("conns", "Hold K concurrent idle connections (banner + EHLO each): how many succeed, the server's RSS per connection, and whether one more client is still served");
            foreach (var o in new Option[] { host, port, k, pid, inflight, stepTimeout, hold, maxSeconds })
            {
                command.Options.Add(o);
            }

            command.SetAction(async (ParseResult p, CancellationToken ct) =>
            {
                if (!Resolve(p, host, port, out var endPoint) || !CheckPid(p.GetValue(pid)))
                {
                    return UsageError;
                }

                if (Conns.CheckLimits(p.GetValue(k), p.GetValue(pid), Console.Error) is { } problem)
                {
                    Console.Error.WriteLine($"smtpmock-bench: error: {problem}");
                    return UsageError;
                }

                var r = await Conns.RunAsync(
                    new ConnsSettings(endPoint, p.GetValue(k), p.GetValue(pid), p.GetValue(inflight),
                        TimeSpan.FromSeconds(p.GetValue(stepTimeout)), TimeSpan.FromSeconds(p.GetValue(hold)),
                        TimeSpan.FromSeconds(p.GetValue(maxSeconds))),
                    Console.Error, ct).ConfigureAwait(false);
                Console.WriteLine(r.Line);
                return r.Complete ? 0 : Failed;
            });
            return command;
        }

        private static Command SmokeCommand()
        {
            var host = HostOption();
            var port = PortOption();
            var pid = PidOption();
            var maxSeconds = MaxSecondsOption(120);
            var command = new Command("smoke", "A few seconds of each command with tiny counts (for CI); exit 0 only if every phase had 0 errors");
            foreach (var o in new Option[] { host, port, pid, maxSeconds })
            {
                command.Options.Add(o);
            }

            command.SetAction(async (ParseResult p, CancellationToken ct) =>
            {
                if (!Resolve(p, host, port, out var endPoint) || !CheckPid(p.GetValue(pid)))
                {
                    return UsageError;
                }

                return await Smoke.RunAsync(endPoint, p.GetValue(pid), TimeSpan.FromSeconds(p.GetValue(maxSeconds)), ct).ConfigureAwait(false)
                    ? 0
                    : Failed;
            });
            return command;
        }

        private static bool Resolve(ParseResult p, Option<string> host, Option<int> port, out IPEndPoint endPoint)
        {
            if (Target.TryResolve(p.GetValue(host) ?? "", p.GetValue(port), out endPoint, out var error))
            {
                return true;
            }

            Console.Error.WriteLine($"smtpmock-bench: error: {error}");
            return false;
        }

        private static bool CheckPid(int? pid)
        {
            if (pid is not { } p || ProcStats.Exists(p))
            {
                return true;
            }

            Console.Error.WriteLine($"smtpmock-bench: error: --pid {p}: no such process (/proc/{p} is missing)");
            return false;
        }
    }
}
