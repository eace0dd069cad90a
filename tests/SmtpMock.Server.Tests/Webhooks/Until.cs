namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>Waits for a condition, asking again every few milliseconds, and fails the test at a deadline.</summary>
internal static class Until
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{what}: not within {Deadline.TotalSeconds} s");
            }
        }
    }
}
