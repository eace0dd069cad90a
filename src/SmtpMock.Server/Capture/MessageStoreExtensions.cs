namespace SmtpMock.Server.Capture;

/// <summary>What tests and tools ask of any store, built on <see cref="IMessageStore"/>'s own operations.</summary>
public static class MessageStoreExtensions
{
    /// <summary>Every kept message, oldest first.</summary>
    public static async Task<IReadOnlyList<CapturedMessage>> ListAsync(this IMessageStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var all = await store.QueryAsync(MessageQuery.All with { OldestFirst = true }, cancellationToken).ConfigureAwait(false);
        return all.Items;
    }

    /// <summary>Deletes every message.</summary>
    public static async Task ClearAsync(this IMessageStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await store.DeleteAsync(MessageQuery.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes with the first kept or future message that matches, oldest first; cancel it to put a deadline on the
    /// wait. Messages that arrive while the kept ones are being looked through are not missed.
    /// </summary>
    public static async Task<CapturedMessage> WaitForAsync(this IMessageStore store, Func<CapturedMessage, bool> match, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(match);
        var found = new TaskCompletionSource<CapturedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(StoreChange change)
        {
            if (change is { Kind: StoreChangeKind.Added, Message: { } message } && match(message))
            {
                found.TrySetResult(message);
            }
        }

        store.Changed += OnChanged;
        try
        {
            foreach (var message in await store.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (match(message))
                {
                    return message;
                }
            }

            return await found.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            store.Changed -= OnChanged;
        }
    }
}
