using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using OsProcess = System.Diagnostics.Process;

namespace SmtpMock.Cli.Tests.Process;

/// <summary>
/// The real CLI as a child process: <c>dotnet smtpmock.dll serve --port 0 ...</c> from the test's own output folder,
/// its port read from the "listening on smtp://127.0.0.1:PORT" line. Killed on dispose if it is still running.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>How long the child may take to print its listening line (JIT start on a busy machine).</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private const int Sigterm = 15;

    private readonly OsProcess _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(OsProcess process) => _process = process;

    private event Action<string>? LineWritten;

    public int Port => _port.Task.Result;

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the child wrote so far, stdout and stderr (marked) interleaved as they came.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static Task<ServerProcess> StartAsync(params string[] arguments) => StartOnPortAsync(0, arguments);

    /// <summary>
    /// Starts <c>smtpmock serve --port 0 ...</c> under a file descriptor limit (<c>prlimit --nofile=N:N</c>, as
    /// <c>ulimit -n N</c> in the shell that starts it).
    /// </summary>
    public static async Task<ServerProcess> StartWithFileLimitAsync(int descriptors, params string[] arguments)
    {
        var server = Create(0, arguments, descriptors);
        try
        {
            server._process.Start();
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            await server._port.Task.WaitAsync(StartDeadline);
            return server;
        }
        catch (Exception e)
        {
            var output = server.Output;
            await server.DisposeAsync();
            throw new AssertionException($"smtpmock did not start: {e.Message}{Environment.NewLine}{output}", e);
        }
    }

    /// <summary>The HTTP port from the "HTTP API and web page on http://127.0.0.1:PORT/" line (with --http-port).</summary>
    public async Task<int> HttpPortAsync()
    {
        await WaitForOutputAsync("HTTP API and web page on http://", StartDeadline);
        var line = _output.First(l => l.StartsWith("HTTP API and web page on http://", StringComparison.Ordinal));
        return new Uri(line["HTTP API and web page on ".Length..]).Port;
    }

    /// <summary>Starts <c>smtpmock serve --port PORT ...</c> and waits for its listening line.</summary>
    public static async Task<ServerProcess> StartOnPortAsync(int port, params string[] arguments)
    {
        var server = Create(port, arguments);
        try
        {
            server._process.Start();
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            await server._port.Task.WaitAsync(StartDeadline);
            return server;
        }
        catch (Exception e)
        {
            var output = server.Output;
            await server.DisposeAsync();
            throw new AssertionException($"smtpmock did not start: {e.Message}{Environment.NewLine}{output}", e);
        }
    }

    /// <summary>Runs <c>smtpmock serve --port PORT ...</c> expecting it to exit by itself (a refused start).</summary>
    public static async Task<(int Code, string Output)> RunToExitAsync(int port, params string[] arguments)
    {
        await using var server = Create(port, arguments);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var code = await server.WaitForExitAsync(StartDeadline);
        server._process.WaitForExit(); // drains the redirected output
        return (code, server.Output);
    }

    private static ServerProcess Create(int port, string[] arguments, int? descriptors = null)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "smtpmock.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is in the test output (the Cli project is referenced)");
        var start = new ProcessStartInfo(descriptors is null ? DotnetHost() : "prlimit")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (descriptors is { } limit)
        {
            start.ArgumentList.Add($"--nofile={limit}:{limit}");
            start.ArgumentList.Add(DotnetHost());
        }

        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        if (!arguments.Contains("--http-port"))
        {
            start.ArgumentList.Add("--no-http");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var server = new ServerProcess(new OsProcess { StartInfo = start, EnableRaisingEvents = true });
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data, error: false);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, error: true);
        server._process.Exited += (_, _) => server._port.TrySetException(new AssertionException("the server exited before it was listening"));
        return server;
    }

    /// <summary>Completes when a line containing <paramref name="text"/> has been written; fails the test after <paramref name="limit"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }

        LineWritten += OnLine;
        try
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            await seen.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"no '{text}' from smtpmock within {limit.TotalSeconds} s{Environment.NewLine}{Output}");
        }
        finally
        {
            LineWritten -= OnLine;
        }
    }

    /// <summary>Sends SIGTERM (what <c>kill PID</c>, docker stop and systemd send).</summary>
    public void Terminate() => Assert.That(Kill(_process.Id, Sigterm), Is.Zero, $"kill -TERM {_process.Id}: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>SIGKILL: the process dies at once, whatever it was writing.</summary>
    public void KillHard() => _process.Kill();

    /// <summary>The exit code, failing the test if the process is still running after <paramref name="limit"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new AssertionException($"smtpmock still running {limit.TotalSeconds} s later{Environment.NewLine}{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(error ? "stderr: " + line : line);
        LineWritten?.Invoke(line);
        var listening = ListeningLine().Match(line);
        if (!error && listening.Success)
        {
            _port.TrySetResult(int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The dotnet host running these tests (testhost runs under it), else dotnet from PATH.</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    // kill(2): two ints in, one out, nothing to marshal.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"listening on smtp://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
