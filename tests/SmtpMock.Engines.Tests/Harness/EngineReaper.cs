using System.Runtime.InteropServices;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// The safety net under OneTimeTearDown: every engine process still tracked when the test host goes away (a
/// fixture whose teardown never ran, a run cancelled with Ctrl+C, a test host sent SIGTERM) is killed with its
/// children, and the engines' temp folders are removed, so no PostgreSQL or Redis (nor 40 MB of cluster) outlives
/// the run. The test host answers SIGTERM without raising ProcessExit, so the signals are caught too (their default
/// action goes on after). A SIGKILLed test host runs nothing: then the temp folders' names (smtpmock-postgres-*,
/// ...) say what was left.
/// </summary>
internal static class EngineReaper
{
    private static readonly HashSet<EngineProcess> Live = [];
    private static readonly HashSet<string> Folders = [];

    // Kept for the life of the test host: a registration that is collected stops catching its signal.
    private static readonly PosixSignalRegistration[] Signals =
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, _ => KillAll()))];

    static EngineReaper() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public static void Track(EngineProcess process)
    {
        lock (Live)
        {
            Live.Add(process);
        }
    }

    public static void Forget(EngineProcess process)
    {
        lock (Live)
        {
            Live.Remove(process);
        }
    }

    public static void TrackFolder(string folder)
    {
        lock (Live)
        {
            Folders.Add(folder);
        }
    }

    public static void ForgetFolder(string folder)
    {
        lock (Live)
        {
            Folders.Remove(folder);
        }
    }

    private static void KillAll()
    {
        EngineProcess[] live;
        string[] folders;
        lock (Live)
        {
            live = [.. Live];
            folders = [.. Folders];
        }

        foreach (var process in live)
        {
            try
            {
                process.KillNow();
            }
            catch (InvalidOperationException)
            {
                // Not ours to kill any more (EPERM), or already gone: nothing else to try while the host exits.
            }
        }

        foreach (var folder in folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort while the host exits.
            }
        }
    }
}
