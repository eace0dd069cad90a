using System.IO.Pipelines;
using System.Text;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Tests.Harness;

namespace SmtpMock.Server.Tests;

/// <summary>
/// A stop that lands while a flush is finishing must not swallow the 421. StreamPipeWriter cancels its own
/// internal token when the caller's token fires during a flush; if that happens after the last write, the flush
/// succeeds but leaves the writer primed to report the NEXT flush as cancelled without writing a byte. CI caught
/// this once as a missing "421 4.3.2" after Ctrl+C.
/// </summary>
public class ShutdownRaceTests
{
    [Test]
    public async Task A_stop_that_fires_inside_the_greeting_flush_still_gets_its_421_out()
    {
        using var shutdown = new CancellationTokenSource();
        var wire = new StopDuringFlushStream(shutdown);
        var output = PipeWriter.Create(wire);
        var input = new ScriptedPipeReader([], hangAtEnd: true);
        var options = SessionDriver.Options();
        var session = SessionDriver.Build(options, new MemoryMessageStore(10, 1 << 20));
        var context = session.Context;

        await session.RunAsync(input, output, shutdown.Token).WaitAsync(TimeSpan.FromSeconds(30));

        var lines = Encoding.ASCII.GetString(wire.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(wire.StopsFired, Is.EqualTo(1), "the stop fired inside a flush, as in the race");
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.StartWith("220 mx.test"));
        Assert.That(lines[1], Does.StartWith("421 4.3.2"));
        Assert.That(context.Transcript.Lines.Select(l => l.Text), Has.None.Contains("could not send"));
    }

    /// <summary>Cancels the stop token from inside the first flush, then reports that flush done, like a socket would.</summary>
    private sealed class StopDuringFlushStream(CancellationTokenSource stop) : MemoryStream
    {
        public int StopsFired { get; private set; }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            if (StopsFired == 0)
            {
                StopsFired++;
                stop.Cancel();
            }

            return Task.CompletedTask;
        }
    }
}
