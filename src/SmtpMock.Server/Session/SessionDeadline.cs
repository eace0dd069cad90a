namespace SmtpMock.Server.Session;

/// <summary>
/// The client's clock: the command timeout while a command line is awaited, the data timeout while content flows,
/// and nothing while the server itself is delaying a reply (a scenario's delay is the server's time, not the
/// client's). It remembers which timeout it armed, so the log names the one that fired.
/// <para>
/// Its <see cref="Token"/> is also cancelled by the server's shutdown: one cancellation source per session instead
/// of a timer source plus a source linked to it and to shutdown (docs/performance.md: idle connections).
/// </para>
/// </summary>
internal sealed class SessionDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly SessionOptions _options;
    private readonly CancellationToken _shutdown;
    private readonly CancellationTokenRegistration _onShutdown;

    public SessionDeadline(SessionOptions options, CancellationToken shutdown)
    {
        _options = options;
        _shutdown = shutdown;
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.TimeProvider);
        _onShutdown = shutdown.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
    }

    /// <summary>Cancelled when the armed timeout fires or the server shuts down.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The client's clock ran out (not the server's shutdown).</summary>
    public bool Fired => _source.IsCancellationRequested && !_shutdown.IsCancellationRequested;

    /// <summary>What fired, for the log and transcript.</summary>
    public string Label { get; private set; } = "command timeout";

    /// <summary>When the message being received began (its first DATA or BDAT), or null between messages.</summary>
    private DateTimeOffset? _messageStarted;

    /// <summary>
    /// Restarts the clock for a command line (<paramref name="data"/> false) or for content. Content also has a
    /// deadline for the whole message (<see cref="SessionOptions.DataDeadline"/>): the data timeout restarts on every
    /// read, so one byte every few minutes would hold a session for ever.
    /// </summary>
    public void Arm(bool data)
    {
        if (!data)
        {
            _messageStarted = null;
            Label = "command timeout";
            _source.CancelAfter(_options.CommandTimeout);
            return;
        }

        var now = _options.TimeProvider.GetUtcNow();
        _messageStarted ??= now;
        var left = _options.DataDeadline - (now - _messageStarted.Value);
        var deadlineFirst = left < _options.DataTimeout;
        Label = deadlineFirst ? "message deadline" : "data timeout";
        _source.CancelAfter(deadlineFirst ? (left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1)) : _options.DataTimeout);
    }

    /// <summary>The whole-message deadline fired (421 4.4.2 with its own words), not the silence between reads.</summary>
    public bool MessageDeadlineFired => Fired && Label == "message deadline";

    /// <summary>
    /// A hang: the data timeout, once, from now. Nothing re-arms it, so a client that keeps sending cannot keep a
    /// hung session open beyond it.
    /// </summary>
    public void ArmOnce()
    {
        Label = "hang";
        _source.CancelAfter(_options.DataTimeout);
    }

    /// <summary>Stops the clock while the server delays its own reply.</summary>
    public void Pause() => _source.CancelAfter(Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _onShutdown.Dispose();
        _source.Dispose();
    }
}
