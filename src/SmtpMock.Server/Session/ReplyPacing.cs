using System.Buffers;
using System.IO.Pipelines;

namespace SmtpMock.Server.Session;

/// <summary>
/// A slow or fragmented link (<c>throttle:</c>, <c>fragment:</c>): replies are held here instead of the pipe and go out
/// a chunk at a time, each chunk flushed on its own and followed by a wait on the server's clock (a fake
/// <see cref="TimeProvider"/> drives it in tests): a chunk's share of a second when throttled, a millisecond between
/// fragments (without it the kernel hands the client every fragment in one read). Holds at most the replies of one
/// read of commands.
/// </summary>
internal sealed class ReplyPacing(int? rate, bool fragment, TimeProvider clock)
{
    /// <summary>Octets per write when fragmenting: a reply code never arrives whole.</summary>
    public const int FragmentOctets = 3;

    /// <summary>The pause between fragments that are not throttled.</summary>
    public static readonly TimeSpan FragmentGap = TimeSpan.FromMilliseconds(1);

    private readonly ArrayBufferWriter<byte> _held = new(256);

    /// <summary>Where replies are written while paced.</summary>
    public IBufferWriter<byte> Buffer => _held;

    public bool HasHeld => _held.WrittenCount > 0;

    public int? Rate => rate;

    public bool Fragments => fragment;

    public override string ToString() => (rate, fragment) switch
    {
        ({ } r, true) => $"replies from now on at {r} octets a second, {FragmentOctets} octets per write",
        ({ } r, false) => $"replies from now on at {r} octets a second",
        _ => $"replies from now on {FragmentOctets} octets per write",
    };

    /// <summary>Octets per write: a tenth of a second's worth when throttled (at most 512), a few when fragmenting.</summary>
    private int ChunkOctets => fragment ? FragmentOctets : Math.Clamp(rate!.Value / 10, 1, 512);

    /// <summary>Writes what is held to <paramref name="output"/>, a chunk per flush, each throttled chunk taking its share of a second.</summary>
    public async ValueTask FlushAsync(PipeWriter output, Func<CancellationToken, ValueTask> flush, CancellationToken cancellationToken)
    {
        var held = _held.WrittenMemory;
        var chunk = ChunkOctets;
        try
        {
            for (var at = 0; at < held.Length; at += chunk)
            {
                var part = held.Slice(at, Math.Min(chunk, held.Length - at));
                output.Write(part.Span);
                await flush(cancellationToken).ConfigureAwait(false);
                if (at + part.Length < held.Length || rate is not null)
                {
                    var pause = rate is { } perSecond ? TimeSpan.FromSeconds((double)part.Length / perSecond) : FragmentGap;
                    await Task.Delay(pause, clock, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Sent, or cut short by a stop or a timeout: what was held must never go out twice.
            _held.ResetWrittenCount();
        }
    }
}
