using System.ComponentModel;
using System.Diagnostics;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// A throw-away server (PostgreSQL, Redis, HAProxy) on a loopback port in a temporary folder, started by a test and
/// gone after it: start, stop, kill, start again on the same port and folder, and on dispose killed and its folder
/// removed. Ready means it answered (a query, a PING, a connect), never that some time passed. Every failure names
/// the command line, the engine's own description (a generated config) and the end of its log.
/// </summary>
internal abstract class Engine : IAsyncDisposable
{
    /// <summary>How long a start may take before the test fails: generous, for a loaded 2-core CI machine.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    /// <summary>How long a stop or a kill may take.</summary>
    public static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    private readonly IDisposable _reaping;
    private EngineProcess? _process;
    private string _commandLine = "";
    private int _runs;

    protected Engine(string name, int port)
    {
        Name = name;
        Port = port;
        Folder = Directory.CreateTempSubdirectory($"smtpmock-{name}-").FullName;
        _reaping = EngineReaper.OnExit(() =>
        {
            _process?.KillNow(); // before its folder goes
            Directory.Delete(Folder, recursive: true);
        });
    }

    public string Name { get; }

    /// <summary>The loopback port it listens on, the same in every run.</summary>
    public int Port { get; }

    /// <summary>The temporary folder holding everything of this engine (data, sockets, config); removed on dispose.</summary>
    public string Folder { get; }

    public EngineLog Log { get; } = new();

    /// <summary>From the last start of the server process to its first ready answer.</summary>
    public TimeSpan StartupTime { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server process of the current (or last) run.</summary>
    public int Pid => _process?.Pid ?? throw new InvalidOperationException($"{Name} has no process (never started, or disposed)");

    /// <summary>What to run; the harness redirects its output into <see cref="Log"/>.</summary>
    protected abstract ProcessStartInfo CommandLine();

    /// <summary>One ask whether the server answers. Returns false to be asked again; throws to fail the start at once.</summary>
    protected abstract Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>The Debian package to install when the program is missing.</summary>
    protected abstract string Package { get; }

    /// <summary>The server forks processes of its own, and a kill takes them all.</summary>
    protected virtual bool ForksChildren => false;

    /// <summary>The signal that shuts the server down cleanly and at once.</summary>
    protected virtual int StopSignal => Posix.Sigterm;

    /// <summary>More to show when something fails, such as a generated config.</summary>
    protected virtual string Describe() => "";

    /// <summary>Starts the server again on the same port and folder (after <see cref="StopAsync"/> or <see cref="KillAsync"/>).</summary>
    public Task StartAgainAsync() => RunAsync();

    /// <summary>Asks the server to shut down (SIGTERM, or PostgreSQL's fast shutdown) and waits until it has.</summary>
    public async Task StopAsync()
    {
        var process = RunningProcess();
        process.Signal(StopSignal);
        await Expect(process.WaitForExitAsync(StopDeadline), "did not stop").ConfigureAwait(false);
    }

    /// <summary>SIGKILL, with no chance to clean up: an engine crash or a lost machine.</summary>
    public Task KillAsync() => Expect(RunningProcess().KillAsync(StopDeadline), "did not die");

    /// <summary>A failure message about this engine: <paramref name="what"/>, then how it was run and what it said.</summary>
    public string Failure(string what)
    {
        var nl = Environment.NewLine;
        var described = Describe();
        return $"{Name} on 127.0.0.1:{Port} {what}{nl}command: {_commandLine}{nl}"
            + (described.Length > 0 ? described + nl : "")
            + $"log:{nl}{Log.Text}";
    }

    public async ValueTask DisposeAsync()
    {
        var process = _process;
        _process = null;
        try
        {
            if (process is not null)
            {
                await process.KillAsync(StopDeadline).ConfigureAwait(false);
            }
        }
        finally
        {
            process?.Dispose();
            DeleteFolder();
        }
    }

    /// <summary>
    /// A factory's body: <paramref name="prepare"/> (initdb), the first run, <paramref name="complete"/> (create the
    /// database); if any of it fails, the engine is disposed (process killed, folder removed) before the exception goes on.
    /// </summary>
    protected static async Task<TEngine> StartNewAsync<TEngine>(TEngine engine, Func<Task>? prepare = null, Func<Task>? complete = null)
        where TEngine : Engine
    {
        try
        {
            await (prepare?.Invoke() ?? Task.CompletedTask).ConfigureAwait(false);
            await engine.RunAsync().ConfigureAwait(false);
            await (complete?.Invoke() ?? Task.CompletedTask).ConfigureAwait(false);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the server process and waits, with a deadline, until it answers.</summary>
    protected async Task RunAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException(Failure("is already running"));
        }

        _process?.Dispose();
        _process = null;
        var start = CommandLine();
        _commandLine = string.Join(' ', start.ArgumentList.Prepend(start.FileName).Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Length == 0 ? $"'{a}'" : a));
        Log.Append($"--- run {++_runs}: {_commandLine}");
        var clock = Stopwatch.StartNew();
        try
        {
            _process = EngineProcess.Start(start, Log, ForksChildren);
        }
        catch (Win32Exception e)
        {
            throw new AssertionException(Failure($"could not be started ({e.Message}): is {Package} installed? apt-get install {Package}"), e);
        }

        var process = _process;
        await Expect(Poll.UntilAsync(ct => process.HasExited ? ExitedAsync(process) : IsReadyAsync(ct), StartDeadline, "ready"), "did not start").ConfigureAwait(false);
        StartupTime = clock.Elapsed;
    }

    private static async Task<bool> ExitedAsync(EngineProcess process)
    {
        await process.WaitForExitAsync(StopDeadline).ConfigureAwait(false); // its last lines reach the log
        throw new InvalidOperationException($"exited with code {process.ExitCode}");
    }

    private void DeleteFolder()
    {
        _reaping.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Disposed before.
        }
        catch (IOException)
        {
            // Something still writing: the temp folder is left for the OS to clean.
        }
    }

    private EngineProcess RunningProcess() =>
        _process is { HasExited: false } process ? process : throw new InvalidOperationException(Failure("is not running"));

    private async Task Expect(Task task, string what)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not AssertionException)
        {
            throw new AssertionException(Failure($"{what}: {e.Message}"), e);
        }
    }
}
