using SmtpMock.Cli;

// Run socket continuations on the socket engine's threads instead of hopping to the thread pool: a session's
// work per read is short and never blocks on the network, and on a small machine the hops cost more than the
// work (docs/performance.md: server CPU per message 150 us -> 95 us). Not with --store, whose fsync per message
// would stall every session on the same engine thread. An explicit setting in the environment wins.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null && !args.Contains("--store"))
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

return await SmtpMockCli.RunAsync(args, Console.Out, Console.Error);
