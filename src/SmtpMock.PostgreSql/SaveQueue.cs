using System.Threading.Channels;

namespace SmtpMock.PostgreSql;

/// <summary>
/// Group commit: saves that arrive while a transaction is being committed wait and go together in the next one, so
/// many sessions share one commit (and one fsync; <c>synchronous_commit</c> stays on) instead of each paying its own.
/// Every save of a batch completes when its transaction commits, or fails with the batch.
/// </summary>
internal sealed class SaveQueue : IAsyncDisposable
{
    /// <summary>At most this many messages per transaction.</summary>
    public const int MaxBatch = 256;

    /// <summary>A batch stops growing past this many octets of content.</summary>
    public const long MaxBatchOctets = 16L * 1024 * 1024;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<MessageRow>, Task> _write;
    private readonly Task _loop;

    /// <summary>A queue whose batches <paramref name="write"/> writes, each in one transaction (throwing when it was not committed).</summary>
    public SaveQueue(Func<IReadOnlyList<MessageRow>, Task> write)
    {
        _write = write;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes when the row is committed.</summary>
    public Task SaveAsync(MessageRow row)
    {
        var pending = new Pending(row, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SaveQueue), "the store is closed");
        }

        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var rows = new List<MessageRow>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            rows.Clear();
            long octets = 0;
            while (batch.Count < MaxBatch && octets < MaxBatchOctets && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
                rows.Add(next.Row);
                octets += next.Row.Size;
            }

            try
            {
                await _write(rows).ConfigureAwait(false);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done.TrySetException(e));
            }
        }
    }

    private sealed record Pending(MessageRow Row, TaskCompletionSource Done);
}
