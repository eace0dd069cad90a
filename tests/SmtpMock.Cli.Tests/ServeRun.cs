namespace SmtpMock.Cli.Tests;

/// <summary>Runs <c>serve</c> in the test process and waits for what it prints.</summary>
internal static class ServeRun
{
    /// <summary>
    /// Runs <c>serve --port 0 --http-port 0</c> with <paramref name="args"/> until a line starting with
    /// <paramref name="marker"/> is printed, checks it while the server runs, stops it and expects exit code 0.
    /// </summary>
    public static async Task<string> UntilAsync(string[] args, string marker, Func<string, Task>? whileRunning = null)
    {
        using var stop = new CancellationTokenSource();
        var output = new LineWriter();
        var run = SmtpMockCli.RunAsync(["serve", "--port", "0", "--http-port", "0", .. args], output, TextWriter.Null, stop.Token);
        var line = await output.WaitForAsync(marker).WaitAsync(TimeSpan.FromSeconds(30));
        if (whileRunning is not null)
        {
            await whileRunning(line);
        }

        await stop.CancelAsync();
        Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(30)), Is.Zero);
        return line;
    }

    /// <summary>A writer whose lines can be waited for.</summary>
    public sealed class LineWriter : StringWriter
    {
        private readonly Lock _gate = new();
        private readonly List<(string Marker, TaskCompletionSource<string> Seen)> _waits = [];
        private readonly List<string> _lines = [];

        public Task<string> WaitForAsync(string marker)
        {
            lock (_gate)
            {
                var line = _lines.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
                if (line is not null)
                {
                    return Task.FromResult(line);
                }

                var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((marker, seen));
                return seen.Task;
            }
        }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            lock (_gate)
            {
                _lines.Add(value ?? string.Empty);
                foreach (var (marker, seen) in _waits.Where(w => value?.Contains(w.Marker, StringComparison.Ordinal) == true))
                {
                    seen.TrySetResult(value!);
                }
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
