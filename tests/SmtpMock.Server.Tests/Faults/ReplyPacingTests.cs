using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests.Faults;

/// <summary>Throttled and fragmented replies go out a chunk per flush, each waiting on the server's clock.</summary>
public class ReplyPacingTests
{
    private static readonly byte[] Reply = Encoding.ASCII.GetBytes("250 2.1.0 Sender OK\r\n");

    [Test]
    public async Task A_throttled_reply_goes_out_a_tenth_of_a_second_of_octets_at_a_time()
    {
        var clock = new FakeTimeProvider();
        var pipe = new Pipe();
        var pacing = new ReplyPacing(20, fragment: false, clock);
        pacing.Buffer.Write(Reply);

        var flushing = pacing.FlushAsync(pipe.Writer, async token => await pipe.Writer.FlushAsync(token), CancellationToken.None).AsTask();

        // 20 octets a second: 2 per write, then 100 ms on the clock before the next.
        Assert.That(Read(pipe), Is.EqualTo("25"));
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.That(Read(pipe), Is.Empty, "not before its time");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(await ReadAsync(pipe), Is.EqualTo("0 "));
        // Move the clock until the rest is out, however the continuations are scheduled (an advance that lands
        // before the next wait is registered is simply repeated), within a real deadline.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!flushing.IsCompleted && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        await flushing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(pacing.HasHeld, Is.False);
    }

    [Test]
    public async Task A_fragmented_reply_goes_out_three_octets_a_write_a_millisecond_apart()
    {
        var clock = new FakeTimeProvider();
        var pipe = new Pipe();
        var pacing = new ReplyPacing(null, fragment: true, clock);
        pacing.Buffer.Write(Reply);
        var flushing = pacing.FlushAsync(pipe.Writer, async token => await pipe.Writer.FlushAsync(token), CancellationToken.None).AsTask();

        var pieces = new List<string> { Read(pipe) };
        while (!flushing.IsCompleted)
        {
            clock.Advance(ReplyPacing.FragmentGap);
            if (Read(pipe) is { Length: > 0 } piece)
            {
                pieces.Add(piece);
            }

            await Task.Yield();
        }

        await flushing.WaitAsync(TimeSpan.FromSeconds(10));
        pieces.Add(Read(pipe));
        pieces.RemoveAll(p => p.Length == 0);
        Assert.That(string.Concat(pieces), Is.EqualTo(Encoding.ASCII.GetString(Reply)));
        Assert.That(pieces, Has.All.Length.LessThanOrEqualTo(ReplyPacing.FragmentOctets));
        Assert.That(pieces, Has.Count.EqualTo(7));
    }

    /// <summary>What the pipe holds now, without waiting.</summary>
    private static string Read(Pipe pipe)
    {
        if (!pipe.Reader.TryRead(out var result))
        {
            return string.Empty;
        }

        var text = Encoding.ASCII.GetString(result.Buffer);
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return text;
    }

    private static async Task<string> ReadAsync(Pipe pipe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await pipe.Reader.ReadAsync(timeout.Token);
        var text = Encoding.ASCII.GetString(result.Buffer);
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return text;
    }
}
