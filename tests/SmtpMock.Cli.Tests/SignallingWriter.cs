namespace SmtpMock.Cli.Tests;

/// <summary>
/// A writer that completes a task when a line containing the marker is written: tests hand it to the CLI as its
/// output and wait for "listening on" with a deadline instead of polling.
/// </summary>
internal sealed class SignallingWriter(string marker) : StringWriter
{
    private readonly TaskCompletionSource<string> _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Seen => _seen.Task;

    public override Task WriteLineAsync(string? value)
    {
        if (value is not null && value.Contains(marker, StringComparison.Ordinal))
        {
            _seen.TrySetResult(value);
        }

        return base.WriteLineAsync(value);
    }
}
