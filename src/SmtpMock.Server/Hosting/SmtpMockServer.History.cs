using Microsoft.Extensions.Logging;
using SmtpMock.Server.History;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>Finished sessions into the archive: a snapshot each, kept before anyone is told the session ended.</summary>
public sealed partial class SmtpMockServer
{
    private int _archiveDown;

    private async ValueTask ArchiveAsync(SessionContext session)
    {
        try
        {
            await Sessions.SaveAsync(SessionRecords.From(session, _options.InstanceId), CancellationToken.None).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _archiveDown, 0) == 1)
            {
                Log.ArchiveBack(_logger, Sessions.Description);
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            // The session is over either way; one line per outage, not one per session.
            if (Interlocked.Exchange(ref _archiveDown, 1) == 0)
            {
                Log.ArchiveDown(_logger, Sessions.Description, e.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "sessions are not kept in {Archive} until it answers again: {Reason}")]
        public static partial void ArchiveDown(ILogger logger, string archive, string reason);

        [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "sessions are kept in {Archive} again")]
        public static partial void ArchiveBack(ILogger logger, string archive);
    }
}
