using System.Diagnostics;
using OsProcess = System.Diagnostics.Process;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// One run of an engine's server process, its output going to the engine's <see cref="EngineLog"/>. A server that
/// forks (PostgreSQL's postmaster and its backends) is killed with all its descendants, as a lost machine loses
/// them. Every run is in <see cref="EngineReaper"/> until disposed, so a test host that exits early takes none along.
/// </summary>
internal sealed class EngineProcess : IDisposable
{
    private readonly OsProcess _process;
    private IDisposable? _reaping;

    private EngineProcess(OsProcess process, bool tree)
    {
        _process = process;
        Tree = tree;
    }

    public int Pid => _process.Id;

    /// <summary>A kill takes the process's descendants too (PostgreSQL's backends each lead a session of their own,
    /// so neither a process group nor a session holds them all).</summary>
    public bool Tree { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static EngineProcess Start(ProcessStartInfo start, EngineLog log, bool tree)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true; // an engine never waits on the test's console
        start.UseShellExecute = false;
        var process = new OsProcess { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data, "");
        process.ErrorDataReceived += (_, e) => Append(log, e.Data, "stderr: ");
        process.Start();
        var engine = new EngineProcess(process, tree);
        engine._reaping = EngineReaper.OnExit(() => engine.KillNow());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return engine;
    }

    /// <summary>Sends a signal to the process alone (a server's own way to shut down: it stops its children itself).</summary>
    public void Signal(int signal) => Posix.Signal(Pid, signal);

    /// <summary>SIGKILL to the process (and its descendants), then waits until none of them runs any more.</summary>
    public async Task KillAsync(TimeSpan limit)
    {
        var descendants = KillNow();
        await WaitForExitAsync(limit).ConfigureAwait(false);
        // The descendants are not our children to wait for: they die from the same SIGKILL, and we watch it happen.
        await Poll.UntilAsync(() => !descendants.Any(Posix.IsAlive), limit, $"the processes under {Pid} gone after SIGKILL").ConfigureAwait(false);
    }

    /// <summary>SIGKILL without waiting (what the reaper does while the test host goes away); returns the descendants it killed.</summary>
    public IReadOnlyList<int> KillNow()
    {
        if (_process.HasExited)
        {
            return []; // a reaped pid may be another process's by now
        }

        if (!Tree)
        {
            _process.Kill();
            return [];
        }

        // Stopped first, the server forks no new child between the look at its children and the kill.
        Posix.Signal(Pid, Posix.Sigstop);
        var descendants = Posix.DescendantsOf(Pid);
        Posix.Signal(Pid, Posix.Sigkill);
        foreach (var descendant in descendants)
        {
            Posix.Signal(descendant, Posix.Sigkill);
        }

        return descendants;
    }

    /// <summary>Completes when the process has exited; throws <see cref="TimeoutException"/> after <paramref name="limit"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"process {Pid} still running {limit.TotalSeconds:0} s later");
        }
    }

    public void Dispose()
    {
        _reaping?.Dispose();
        _process.Dispose();
    }

    private static void Append(EngineLog log, string? line, string mark)
    {
        if (line is not null)
        {
            log.Append(mark + line);
        }
    }
}
