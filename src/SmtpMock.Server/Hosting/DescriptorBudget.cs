using System.Runtime.InteropServices;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// How the process's file descriptors (<c>RLIMIT_NOFILE</c>) are shared between SMTP connections and HTTP
/// connections, so one side can never take what the other needs: with no HTTP limit, 700 event streams under a
/// 600-descriptor limit left SMTP unable to accept, and Kestrel's accept loop spinning on EMFILE kept it so after
/// every HTTP client had left. SMTP keeps its <see cref="SmtpServerOptions.MaxConnections"/> while the limit allows
/// three quarters of what is left after the process's own files; HTTP gets the rest, up to a thousand.
/// </summary>
public sealed record DescriptorBudget(long? Limit, int SmtpConnections, int HttpConnections)
{
    /// <summary>Descriptors the process needs besides connections: the runtime, logs, the store's files, watchers, certificates.</summary>
    public const int Overhead = 96;

    /// <summary>HTTP connections at most, whatever the limit: a mock's API has a few readers, not thousands.</summary>
    public const int MaxHttpConnections = 1000;

    /// <summary>The budget under this process's limit for a server with <paramref name="maxConnections"/>.</summary>
    public static DescriptorBudget For(int maxConnections) => For(maxConnections, CurrentLimit());

    /// <summary>The budget under <paramref name="limit"/> (null: unknown, so SMTP keeps its cap and HTTP gets the maximum).</summary>
    public static DescriptorBudget For(int maxConnections, long? limit)
    {
        if (limit is not { } descriptors)
        {
            return new DescriptorBudget(null, maxConnections, MaxHttpConnections);
        }

        var available = Math.Max(descriptors - Overhead, 8);
        var smtp = (int)Math.Clamp(Math.Min(maxConnections, available * 3 / 4), 1, int.MaxValue);
        var http = (int)Math.Clamp(available - smtp, 4, MaxHttpConnections);
        return new DescriptorBudget(descriptors, smtp, http);
    }

    /// <summary>The soft <c>RLIMIT_NOFILE</c> (the runtime raises it to the hard limit at start), or null where it cannot be read.</summary>
    public static long? CurrentLimit()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return null;
        }

        var limits = default(ResourceLimit);
        return GetResourceLimit(OperatingSystem.IsLinux() ? 7 : 8, ref limits) == 0 && limits.Current is > 0 and < long.MaxValue
            ? (long)limits.Current
            : null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    // getrlimit(2) with RLIMIT_NOFILE (7 on Linux, 8 on macOS): a struct of two 64-bit values, nothing else to marshal.
    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetResourceLimit(int resource, ref ResourceLimit limits);
}
