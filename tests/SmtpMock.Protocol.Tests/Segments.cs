using System.Buffers;

namespace SmtpMock.Protocol.Tests;

/// <summary>Builds multi-segment sequences so framing is tested across segment edges.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new ChainedSegment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>The bytes split into segments of <paramref name="size"/> octets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int size) =>
        Of([.. bytes.Chunk(size)]);
}
