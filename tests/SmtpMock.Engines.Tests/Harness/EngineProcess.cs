using System.Diagnostics;
using OsProcess = System.Diagnostics.Process;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// One run of an engine's server process, its output going to the engine's <see cref="EngineLog"/>. A process that
/// leads its own group (PostgreSQL's postmaster and its backends) is killed as a group, like a machine losing it.
/// Every run is in <see cref="EngineReaper"/> until disposed, so a test host that exits early takes none along.
/// </summary>
internal sealed class EngineProcess : IDisposable
{
    private readonly OsProcess _process;

    private EngineProcess(OsProcess process, bool ownGroup)
    {
        _process = process;
        OwnGroup = ownGroup;
    }

    public int Pid => _process.Id;

    /// <summary>The process was started as the leader of a new process group (its pgid is its pid).</summary>
    public bool OwnGroup { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static EngineProcess Start(ProcessStartInfo start, EngineLog log, bool ownGroup)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true; // an engine never waits on the test's console
        start.UseShellExecute = false;
        var process = new OsProcess { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data, "");
        process.ErrorDataReceived += (_, e) => Append(log, e.Data, "stderr: ");
        process.Start();
        var engine = new EngineProcess(process, ownGroup);
        EngineReaper.Track(engine);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return engine;
    }

    /// <summary>Sends a signal to the process alone (a server's own way to shut down: it stops its children itself).</summary>
    public void Signal(int signal) => Posix.Signal(Pid, signal);

    /// <summary>SIGKILL to the process, or to its whole group, then waits until none of it runs any more.</summary>
    public async Task KillAsync(TimeSpan limit)
    {
        KillNow();
        await WaitForExitAsync(limit).ConfigureAwait(false);
        if (OwnGroup)
        {
            // The backends are not our children: they die from the same SIGKILL, and we wait to see it.
            await Poll.UntilAsync(() => Posix.LiveMembersOf(Pid).Count == 0, limit, $"process group {Pid} gone after SIGKILL").ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL without waiting: what the reaper does when the test host is going away.</summary>
    public void KillNow()
    {
        // A reaped pid may be another process's by now; a group id is not reused while any member of the group lives.
        if (OwnGroup || !_process.HasExited)
        {
            Posix.Signal(Pid, Posix.Sigkill, group: OwnGroup);
        }
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
        EngineReaper.Forget(this);
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
