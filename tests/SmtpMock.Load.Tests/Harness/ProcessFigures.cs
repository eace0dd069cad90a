using System.Globalization;

namespace SmtpMock.Load.Tests.Harness;

/// <summary>
/// What a process holds right now, read from <c>/proc/PID</c>: resident memory (<c>VmRSS</c>) and its peak so far
/// (<c>VmHWM</c>), threads (<c>Threads</c>) and open file descriptors (the entries of <c>/proc/PID/fd</c>).
/// </summary>
internal readonly record struct ProcessFigures(double RssMiB, double PeakRssMiB, int Threads, int Descriptors)
{
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

        var descriptors = Directory.GetFileSystemEntries($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd").Length;
        return new ProcessFigures(rss, peak, threads, descriptors);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"RSS {RssMiB:0.0} MiB (peak {PeakRssMiB:0.0}), {Threads} threads, {Descriptors} fds");

    /// <summary>"VmRSS:	   65268 kB" gives 65268.</summary>
    private static long Kilobytes(string line)
    {
        var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        return long.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
