using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// Whether socket continuations run on the socket engine's threads instead of hopping to the thread pool: a session's
/// work per read is short and never blocks on the network, and on a small machine the hops cost more than the work
/// (docs/performance.md: server CPU per message 150 us -> 95 us). Not with a store, whose fsync per message would
/// stall every session on the same engine thread. An explicit setting in the environment wins.
/// With inline completions the runtime starts one engine thread per core by default; SmtpMock asks for half as many
/// (at least one), because the client under test nearly always runs on the same machine and needs cores of its own:
/// on 2 cores, one engine thread gave 25-30% more messages a second at 15% less CPU each (docs/performance.md).
/// </summary>
internal static class InlineCompletions
{
    /// <summary>Read once, when the runtime's socket engine starts: it must be set before the first socket.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>How many epoll threads the runtime's socket engine starts; read at the same moment.</summary>
    public const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>The value to set for these options, or null to leave the environment as it is.</summary>
    public static string? Decide(SmtpServerOptions options, string? current) =>
        current is null && options.StoreDirectory is null ? "1" : null;

    /// <summary>The engine thread count to set when completions run inline, or null to leave the environment as it is.</summary>
    public static string? DecideThreads(int processorCount, string? current) =>
        current is null ? Math.Max(1, processorCount / 2).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Sets the variables for this process when <see cref="Decide"/> says so. Call before any socket exists.</summary>
    public static void Apply(SmtpServerOptions options)
    {
        if (Decide(options, Environment.GetEnvironmentVariable(Variable)) is { } value)
        {
            Environment.SetEnvironmentVariable(Variable, value);
            if (DecideThreads(Environment.ProcessorCount, Environment.GetEnvironmentVariable(ThreadCountVariable)) is { } threads)
            {
                Environment.SetEnvironmentVariable(ThreadCountVariable, threads);
            }
        }
    }
}
