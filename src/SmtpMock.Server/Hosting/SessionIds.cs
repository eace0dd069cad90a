using Microsoft.Extensions.Logging;
using SmtpMock.Server.History;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// Session ids in blocks reserved from the archive, so instances sharing one never hand out the same id (in memory the
/// blocks simply follow each other: 1, 2, 3...). When the archive cannot reserve, ids come from this process's clock
/// until it can again, so accepting never stops for it.
/// </summary>
internal sealed partial class SessionIds(ISessionArchive archive, ILogger logger)
{
    private const int Block = 64;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;
    private long _end;
    private long _fallback;
    private bool _down;

    public async ValueTask<long> NextAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_next == _end)
            {
                try
                {
                    _next = await archive.ReserveIdsAsync(Block, cancellationToken).ConfigureAwait(false);
                    _end = _next + Block;
                    _down = false;
                }
                catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
                {
                    // Milliseconds since 2020 times 1000: far above any reserved block, unique within this process.
                    if (!_down)
                    {
                        _down = true;
                        LogFallback(logger, archive.Description, e.Message);
                    }

                    var clock = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1_577_836_800_000) * 1000;
                    return _fallback = Math.Max(clock, _fallback + 1);
                }
            }

            return _next++;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "no session ids from {Archive} ({Reason}): numbering from the clock meanwhile")]
    private static partial void LogFallback(ILogger logger, string archive, string reason);
}
