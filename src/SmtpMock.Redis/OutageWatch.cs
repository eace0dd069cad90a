using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SmtpMock.Redis;

/// <summary>
/// Whether Redis answers, as the one place that logs it: one line when an outage starts (however many commands fail
/// during it, on the state, the scenario or the bus) and one when it ends. A command's result counts only if the
/// command started after the last change, so the late answer of a command sent before an outage (or the late failure
/// of one sent before the recovery) cannot make the state flap.
/// </summary>
internal sealed partial class OutageWatch
{
    private static readonly string[] Stops = ["\n", ";", ", ", " ("];

    private readonly string _description;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private volatile bool _down;
    private long _changedAt;
    private long _downSince;

    public OutageWatch(string description, ILogger logger)
    {
        _description = description;
        _logger = logger;
        _changedAt = Stopwatch.GetTimestamp();
    }

    public bool IsDown => _down;

    /// <summary>Outages since start.</summary>
    public int Outages { get; private set; }

    /// <summary>The time a command starts, to report its outcome with.</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>A command that started at <paramref name="startedAt"/> failed (or the client lost its connection).</summary>
    public void Failed(long startedAt, Exception error)
    {
        lock (_gate)
        {
            if (_down || startedAt < _changedAt)
            {
                return;
            }

            _down = true;
            _changedAt = _downSince = Stopwatch.GetTimestamp();
            Outages++;
        }

        Log.Down(_logger, _description, Reason(error));
    }

    /// <summary>A command that started at <paramref name="startedAt"/> was answered (or the client reconnected).</summary>
    public void Answered(long startedAt)
    {
        if (!_down)
        {
            return;
        }

        TimeSpan lasted;
        lock (_gate)
        {
            if (!_down || startedAt < _changedAt)
            {
                return;
            }

            _down = false;
            _changedAt = Stopwatch.GetTimestamp();
            lasted = Stopwatch.GetElapsedTime(_downSince, _changedAt);
        }

        Log.Up(_logger, _description, lasted.TotalSeconds);
    }

    /// <summary>The client's word for it, without its long diagnostic tail (the socket's own message when there is one).</summary>
    public static string Reason(Exception error)
    {
        var inner = error;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        if (!ReferenceEquals(inner, error) && inner is System.Net.Sockets.SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return inner.Message;
        }

        // The client appends its diagnostics (", mc: 1/1/0, ...", " (outbound=0KiB, ...)"): the first clause says what happened.
        var message = error.Message;
        var cut = message.Length;
        foreach (var stop in Stops)
        {
            var at = message.IndexOf(stop, StringComparison.Ordinal);
            cut = at > 0 ? Math.Min(cut, at) : cut;
        }

        message = message[..cut];
        return error is RedisConnectionException { FailureType: not ConnectionFailureType.None } connection && !message.StartsWith(connection.FailureType.ToString(), StringComparison.Ordinal)
            ? $"{connection.FailureType}: {message}"
            : message;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "Redis {Description} unreachable ({Reason}): keyed and per-server rules answer 451 4.3.0 and events from other instances stop until it is back")]
        public static partial void Down(ILogger logger, string description, string reason);

        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Redis {Description} reachable again after {Seconds:0.0} s")]
        public static partial void Up(ILogger logger, string description, double seconds);
    }
}
