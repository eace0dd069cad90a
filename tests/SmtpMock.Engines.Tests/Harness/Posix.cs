using System.Globalization;
using System.Runtime.InteropServices;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>The few POSIX calls the harness needs that .NET has no API for: signals other than SIGKILL, and a process's descendants.</summary>
internal static class Posix
{
    public const int Sigint = 2;
    public const int Sigkill = 9;
    public const int Sigterm = 15;
    public const int Sigstop = 19;

    private const int Esrch = 3;

    public static bool IsRoot => GetEffectiveUserId() == 0;

    /// <summary>Sends <paramref name="signal"/> to a process; false when it was not there to receive it.</summary>
    public static bool Signal(int pid, int signal)
    {
        if (KillSyscall(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Esrch ? false : throw new InvalidOperationException($"kill({pid}, {signal}): errno {errno}");
    }

    /// <summary>The children of <paramref name="pid"/>, their children and so on, that still run.</summary>
    public static IReadOnlyList<int> DescendantsOf(int pid)
    {
        var children = LiveProcesses().ToLookup(p => p.Parent, p => p.Pid);
        var found = new List<int>();
        var next = new Queue<int>([pid]);
        while (next.TryDequeue(out var parent))
        {
            foreach (var child in children[parent])
            {
                found.Add(child);
                next.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>The process runs (a zombie, dead and waiting for its parent to reap it, does not).</summary>
    public static bool IsAlive(int pid) => Stat(Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture))) is { } stat && stat.State is not ("Z" or "X");

    private static IEnumerable<(int Pid, int Parent)> LiveProcesses()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(dir) is { } stat && stat.State is not ("Z" or "X"))
            {
                yield return (pid, stat.Parent);
            }
        }
    }

    /// <summary>State and parent from /proc/PID/stat, or null when the process is gone.</summary>
    private static (string State, int Parent)? Stat(string dir)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(dir, "stat"));
        }
        catch (IOException)
        {
            return null; // exited while we looked (or never was)
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    // kill(2) and geteuid(2): ints in and out, nothing to marshal.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillSyscall(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
