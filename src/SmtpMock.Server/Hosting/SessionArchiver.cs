using Microsoft.Extensions.Logging;
using SmtpMock.Server.History;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// Finished sessions into the archive, a snapshot each. An archive that does not answer costs the record, never the
/// session: one log line when it goes away and one when it is back, not one per session.
/// </summary>
internal sealed partial class SessionArchiver(ISessionArchive archive, string instanceId, ILogger logger)
{
    private int _down;

    public async ValueTask SaveAsync(SessionContext session)
    {
        try
        {
            await archive.SaveAsync(SessionRecords.From(session, instanceId), CancellationToken.None).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _down, 0) == 1)
            {
                Log.ArchiveBack(logger, archive.Description);
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            if (Interlocked.Exchange(ref _down, 1) == 0)
            {
                Log.ArchiveDown(logger, archive.Description, e.Message);
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
