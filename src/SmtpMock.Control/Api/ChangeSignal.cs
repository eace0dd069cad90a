namespace SmtpMock.Control.Api;

/// <summary>
/// Wakes every waiter when something changed (a message captured, a session ended). A waiter takes <see cref="Next"/>
/// before it checks its condition, so a change in between is never missed.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Set()
    {
        var old = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }

    /// <summary>Waits until <paramref name="done"/> holds, or the timeout passes (false), or the request is aborted.</summary>
    public Task<bool> WaitUntilAsync(Func<bool> done, TimeSpan timeout, CancellationToken aborted) =>
        WaitUntilAsync(() => ValueTask.FromResult(done()), timeout, aborted);

    /// <summary>As the other overload, with a condition that may need I/O (a store's query).</summary>
    public async Task<bool> WaitUntilAsync(Func<ValueTask<bool>> done, TimeSpan timeout, CancellationToken aborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var next = Next;
            if (await done().ConfigureAwait(false))
            {
                return true;
            }

            try
            {
                await next.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                return await done().ConfigureAwait(false);
            }
        }
    }
}
