using System.Globalization;
using System.Runtime.InteropServices;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>The few POSIX calls the harness needs that .NET has no API for: signals other than SIGKILL, and process groups.</summary>
internal static class Posix
{
    public const int Sigint = 2;
    public const int Sigkill = 9;
    public const int Sigusr1 = 10;
    public const int Sigterm = 15;

    private const int Esrch = 3;

    public static bool IsRoot => GetEffectiveUserId() == 0;

    /// <summary>Sends <paramref name="signal"/> to a process, or with <paramref name="group"/> to its whole process group.
    /// False when nothing was there to receive it.</summary>
    public static bool Signal(int pid, int signal, bool group = false)
    {
        if (KillSyscall(group ? -pid : pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Esrch ? false : throw new InvalidOperationException($"kill({(group ? -pid : pid)}, {signal}): errno {errno}");
    }

    /// <summary>The processes of group <paramref name="pgid"/> that still run (a zombie waiting for its parent to reap it does not).</summary>
    public static IReadOnlyList<int> LiveMembersOf(int pgid)
    {
        var members = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }

            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z" && fields[0] != "X" && fields[2] == pgid.ToString(CultureInfo.InvariantCulture))
            {
                members.Add(pid);
            }
        }

        return members;
    }

    // kill(2) and geteuid(2): ints in and out, nothing to marshal.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillSyscall(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
