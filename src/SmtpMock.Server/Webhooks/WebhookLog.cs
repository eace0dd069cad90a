using Microsoft.Extensions.Logging;

namespace SmtpMock.Server.Webhooks;

/// <summary>What webhook delivery tells the console: drops once per burst, give-ups once per event, each retry at Debug.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "webhook {Target}: queue full ({Capacity} waiting), {Count} events dropped")]
    public static partial void Dropped(ILogger logger, string target, int capacity, long count);

    [LoggerMessage(EventId = 501, Level = LogLevel.Debug, Message = "webhook {Target}: {Type} {Event} attempt {Attempt} failed ({Reason}); next in {Delay}")]
    public static partial void Retrying(ILogger logger, string target, string type, string @event, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "webhook {Target}: gave up on {Type} {Event} after {Attempts} attempts ({Reason})")]
    public static partial void GaveUp(ILogger logger, string target, string type, string @event, int attempts, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "webhook {Target}: {Type} {Event} refused ({Reason}); not retried: only network errors, timeouts, 429 and 5xx are")]
    public static partial void Refused(ILogger logger, string target, string type, string @event, string reason);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "webhook {Target}: {Count} events not delivered: stopped before they could be")]
    public static partial void Abandoned(ILogger logger, string target, long count);
}
