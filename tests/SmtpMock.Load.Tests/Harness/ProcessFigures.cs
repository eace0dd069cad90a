using System.Globalization;

namespace SmtpMock.Load.Tests.Harness;

/// <summary>
/// What a process holds right now, read from <c>/proc/PID</c>: resident memory (<c>VmRSS</c>) and its peak so far
/// (<c>VmHWM</c>), threads (<c>Threads</c>), of them the .NET thread pool's workers (named <c>.NET TP Worker</c> in
/// <c>/proc/PID/task/*/comm</c>), and open file descriptors (the entries of <c>/proc/PID/fd</c>).
/// </summary>
internal readonly record struct ProcessFigures(double RssMiB, double PeakRssMiB, int Threads, int PoolWorkers, int Descriptors)
{
    /// <summary>
    /// Threads that come and go by themselves: the thread pool adds workers when the machine is busy and retires them
    /// after 20 s idle, and the JIT's background compiler ("Tiered Compilation Worker") runs only while it has work.
    /// </summary>
    public int FixedThreads => Threads - PoolWorkers - TransientOthers;

    private int TransientOthers { get; init; }

    /// <summary>CPU time the process has used so far, user and system (<c>/proc/PID/stat</c> utime + stime, in clock ticks of 10 ms).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    public static ProcessFigures Of(int pid)
    {
        double rss = 0, peak = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) / 1024.0;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        var names = new List<string>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
        {
            try
            {
                names.Add(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'));
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        var descriptors = Directory.GetFileSystemEntries($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd").Length;
        return new ProcessFigures(rss, peak, threads, names.Count(n => n == ".NET TP Worker"), descriptors)
        {
            TransientOthers = names.Count(n => n == ".NET Tiered Com"),
        };
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"RSS {RssMiB:0.0} MiB (peak {PeakRssMiB:0.0}), {Threads} threads ({PoolWorkers} pool workers), {Descriptors} fds");

    /// <summary>"VmRSS:	   65268 kB" gives 65268.</summary>
    private static long Kilobytes(string line)
    {
        var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        return long.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
