namespace SmtpMock.Mta.Tests.Harness;

/// <summary>
/// Waits for a condition on something that has no change notification (Postfix's log file and queue): it is
/// checked now and then every <see cref="Interval"/> until it holds or the deadline passes, and the test fails
/// with what was last seen.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>The first non-null result of <paramref name="probe"/>; after <paramref name="limit"/> an assertion failure naming <paramref name="what"/>.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan limit, string what, Func<string> lastSeen)
        where T : class
    {
        var deadline = DateTime.UtcNow + limit;
        using var timer = new PeriodicTimer(Interval);
        while (true)
        {
            if (await probe() is { } result)
            {
                return result;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new AssertionException($"{what}: not within {limit.TotalSeconds} s{Environment.NewLine}{lastSeen()}");
            }

            await timer.WaitForNextTickAsync();
        }
    }
}
