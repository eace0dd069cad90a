using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SmtpMock.PostgreSql;

/// <summary>
/// LISTEN on one connection for the notifications every instance sends when it changes the store (one
/// <c>pg_notify</c> inside the changing transaction, so it is delivered only if that commits). A lost connection is
/// opened again until the server is back, with one log line when it is lost and one when it is back. Notifications
/// are handed on in order, on a task of their own, so a slow handler never blocks the connection.
/// </summary>
internal sealed partial class ChangeFeed : IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string[] _channels;
    private readonly Func<string, string, Task> _handle;
    private readonly ILogger _logger;
    private readonly string _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<NpgsqlNotificationEventArgs> _received = Channel.CreateUnbounded<NpgsqlNotificationEventArgs>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _listen = Task.CompletedTask;
    private Task _dispatch = Task.CompletedTask;

    /// <summary>A feed of <paramref name="channels"/>; <paramref name="handle"/> gets the channel and payload of each notification, one at a time.</summary>
    public ChangeFeed(NpgsqlDataSource dataSource, string[] channels, Func<string, string, Task> handle, ILogger logger, string store)
    {
        _dataSource = dataSource;
        _channels = channels;
        _handle = handle;
        _logger = logger;
        _store = store;
    }

    /// <summary>Starts listening; completes once the first LISTEN is in place, so no later change is missed.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listen = Task.Run(ListenAsync, CancellationToken.None);
        _dispatch = Task.Run(DispatchAsync, CancellationToken.None);
        return _listening.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _received.Writer.TryComplete();
        await Task.WhenAll(_listen, _dispatch).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ListenAsync()
    {
        var lost = false;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, e) => _received.Writer.TryWrite(e);
                foreach (var channel in _channels)
                {
                    await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
                    await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                }

                if (lost)
                {
                    Log.Back(_logger, _store);
                    lost = false;
                }

                _listening.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Failures.IsDatabase(e))
            {
                if (!lost)
                {
                    // Changes other instances make meanwhile are not announced here (they are still listed and found).
                    Log.Lost(_logger, _store, Failures.Reason(e));
                    lost = true;
                }

                Failures.Forget(_dataSource, e);
                try
                {
                    await Task.Delay(Retry, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (var notification in _received.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _handle(notification.Channel, notification.Payload).ConfigureAwait(false);
            }
            catch (Exception e) when (Failures.IsDatabase(e) || e is StoreUnavailableException)
            {
                Log.Missed(_logger, _store, notification.Payload, Failures.Reason(e));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "lost the change notifications of {Store}: {Reason}; trying again every second")]
        public static partial void Lost(ILogger logger, string store, string reason);

        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "change notifications of {Store} are back")]
        public static partial void Back(ILogger logger, string store);

        [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "could not read the change {Payload} of {Store}: {Reason}")]
        public static partial void Missed(ILogger logger, string store, string payload, string reason);
    }
}
