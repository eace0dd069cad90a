using System.Runtime.InteropServices;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// The safety net under OneTimeTearDown: what is still registered when the test host goes away (a fixture whose
/// teardown never ran, a run cancelled with Ctrl+C, a test host sent SIGTERM) is run: every engine process is
/// killed with its children and every engine folder removed, so no PostgreSQL or Redis (nor 40 MB of cluster)
/// outlives the run. The test host answers SIGTERM without raising ProcessExit, so the signals are caught too
/// (their default action goes on after). A SIGKILLed test host runs nothing: then the temp folders' names
/// (smtpmock-postgres-*, ...) say what was left.
/// </summary>
internal static class EngineReaper
{
    private static readonly HashSet<Registration> Registered = [];

    // Kept for the life of the test host: a registration that is collected stops catching its signal.
    private static readonly PosixSignalRegistration[] Signals =
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, _ => RunAll()))];

    static EngineReaper() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();

    /// <summary>Runs <paramref name="cleanup"/> if the host goes away before the result is disposed.</summary>
    public static IDisposable OnExit(Action cleanup)
    {
        var registration = new Registration(cleanup);
        lock (Registered)
        {
            Registered.Add(registration);
        }

        return registration;
    }

    private static void RunAll()
    {
        Registration[] all;
        lock (Registered)
        {
            all = [.. Registered];
        }

        foreach (var registration in all)
        {
            try
            {
                registration.Cleanup();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Not ours any more (EPERM), already gone, or busy: nothing else to try while the host exits.
            }
        }
    }

    private sealed class Registration(Action cleanup) : IDisposable
    {
        public Action Cleanup { get; } = cleanup;

        public void Dispose()
        {
            lock (Registered)
            {
                Registered.Remove(this);
            }
        }
    }
}
