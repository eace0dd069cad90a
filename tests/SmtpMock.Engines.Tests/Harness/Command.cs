using System.Diagnostics;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>A one-shot program (initdb, chown) run to its end within a deadline; a failure carries its output.</summary>
internal static class Command
{
    public static async Task<string> RunAsync(ProcessStartInfo start, TimeSpan limit)
    {
        var log = new EngineLog();
        var line = string.Join(' ', start.ArgumentList.Prepend(start.FileName));
        using var process = EngineProcess.Start(start, log, tree: false);
        try
        {
            await process.WaitForExitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            await process.KillAsync(limit).ConfigureAwait(false);
            throw new AssertionException($"{line}: {e.Message}{Environment.NewLine}{log.Text}", e);
        }

        return process.ExitCode == 0
            ? log.Text
            : throw new AssertionException($"{line} exited with code {process.ExitCode}{Environment.NewLine}{log.Text}");
    }
}
