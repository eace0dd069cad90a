namespace SmtpMock.Tests.Shared;

/// <summary>
/// Waits for a condition by asking it again and again until a deadline: an engine says it is ready by answering
/// (a connect, a PING, a query), a server by what it counted, never by a time having passed. The one deadline poll of
/// every test project.
/// </summary>
internal static class Poll
{
    /// <summary>The pause between two asks: short against any deadline, long enough not to spin a core.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Completes when <paramref name="condition"/> returns true. Throws <see cref="TimeoutException"/> with
    /// <paramref name="what"/> after <paramref name="limit"/>; the condition may throw to stop waiting at once.
    /// </summary>
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan limit, string what)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            try
            {
                if (await condition(deadline.Token).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(Interval, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{what}: not within {limit.TotalSeconds:0.#} s");
            }
        }
    }

    /// <summary>The same for a condition that needs no await.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan limit, string what) =>
        UntilAsync(_ => Task.FromResult(condition()), limit, what);
}
