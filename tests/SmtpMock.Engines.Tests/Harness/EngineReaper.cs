namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// The safety net under OneTimeTearDown: every engine process still tracked when the test host exits (a fixture
/// whose teardown never ran, a run cancelled with Ctrl+C or SIGTERM) is killed, with its process group, so no
/// PostgreSQL or Redis outlives the run. A SIGKILLed test host runs nothing: then only the temp folders' names
/// (smtpmock-postgres-*, ...) say what to clean.
/// </summary>
internal static class EngineReaper
{
    private static readonly HashSet<EngineProcess> Live = [];

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

    private static void KillAll()
    {
        EngineProcess[] live;
        lock (Live)
        {
            live = [.. Live];
        }

        foreach (var process in live)
        {
            try
            {
                process.KillNow();
            }
            catch (InvalidOperationException)
            {
                // Not ours to kill any more (EPERM): nothing else to try while the host exits.
            }
        }
    }
}
