using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace SmtpMock.Bench;

/// <summary>The loopback guard: the tool talks to 127.0.0.0/8, ::1 and localhost only, and never resolves a name.</summary>
internal static class Target
{
    public static bool TryResolve(string host, int port, out IPEndPoint endPoint, out string error)
    {
        endPoint = null!;
        error = "";
        var h = host.Trim();
        if (h.StartsWith('[') && h.EndsWith(']'))
        {
            h = h[1..^1];
        }

        IPAddress? address;
        if (string.Equals(h, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(h, out address) || !IsLoopback(address))
        {
            error = $"refusing host '{host}': this tool only talks to loopback (127.0.0.0/8, ::1, localhost)";
            return false;
        }

        if (port is < 1 or > 65535)
        {
            error = $"--port {port} is outside 1-65535";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    private static bool IsLoopback(IPAddress a)
    {
        if (a.IsIPv4MappedToIPv6)
        {
            a = a.MapToIPv4();
        }

        // IPAddress.IsLoopback is true for all of 127.0.0.0/8 and for ::1.
        return IPAddress.IsLoopback(a);
    }
}

/// <summary>Reads another process's CPU time and memory from /proc (Linux).</summary>
internal static class ProcStats
{
    private static readonly long ClockTicks = GetClockTicks();

    /// <summary>utime + stime of the whole process (all threads), in seconds; null if unreadable.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // rest[0] is field 3 (state); utime is field 14, stime field 15.
            var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
            return (double)ticks / ClockTicks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A /proc/PID/status field in KiB (VmRSS, VmHWM...); null if unreadable.</summary>
    public static long? StatusKib(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        return null;
    }

    /// <summary>The soft "Max open files" limit of a process, from /proc/PID/limits; null if unreadable or unlimited.</summary>
    public static long? OpenFilesLimit(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var parts = line["Max open files".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
        }

        return null;
    }

    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>This process's own user+system CPU, in seconds.</summary>
    public static double OwnCpuSeconds()
    {
        using var me = Process.GetCurrentProcess();
        return me.TotalProcessorTime.TotalSeconds;
    }

    private static long GetClockTicks()
    {
        try
        {
            var v = Native.sysconf(Native.SC_CLK_TCK);
            return v > 0 ? v : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }
}

/// <summary>The open-files limit of this process (RLIMIT_NOFILE), raised on demand.</summary>
internal static class FdLimit
{
    /// <summary>
    /// Makes sure this process may hold <paramref name="needed"/> descriptors: raises the soft limit up to the hard one
    /// when that is enough. Returns null when it is, or a message saying what to do when it is not.
    /// </summary>
    public static string? Ensure(long needed)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            if (Native.getrlimit(Native.RLIMIT_NOFILE, out var limit) != 0)
            {
                return null;
            }

            if (limit.Current >= (ulong)needed)
            {
                return null;
            }

            if (limit.Maximum >= (ulong)needed)
            {
                var raised = new Native.RLimit { Current = (ulong)needed, Maximum = limit.Maximum };
                if (Native.setrlimit(Native.RLIMIT_NOFILE, ref raised) == 0)
                {
                    return null;
                }
            }

            return $"the open-files limit is {limit.Current} (hard {Hard(limit.Maximum)}) but this run needs about {needed} "
                   + $"descriptors: raise it first, e.g. `ulimit -n {RoundUp(needed)}` in the shell that runs the tool "
                   + "(a hard limit that low needs root or /etc/security/limits.conf), or use a smaller -k";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public static long RoundUp(long n) => ((n + 999) / 1000) * 1000;

    private static string Hard(ulong max) => max == ulong.MaxValue ? "unlimited" : max.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The local port range bounds how many connections one client can open to one server port.</summary>
internal static class EphemeralPorts
{
    public static int? Count()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(parts[1], CultureInfo.InvariantCulture) - int.Parse(parts[0], CultureInfo.InvariantCulture) + 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

internal static partial class Native
{
    public const int RLIMIT_NOFILE = 7;
    public const int SC_CLK_TCK = 2;

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setrlimit(int resource, ref RLimit limit);

    [LibraryImport("libc")]
    public static partial long sysconf(int name);
}
