using System.Buffers;

namespace SmtpMock.Tests.Shared;

/// <summary>
/// One link of a hand-built <see cref="ReadOnlySequence{T}"/>: tests cut input into segments to prove that framing
/// and parsing do not care where the buffer boundaries fall. Linked into each test project that needs it.
/// </summary>
internal sealed class ChainedSegment : ReadOnlySequenceSegment<byte>
{
    public ChainedSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Links a new segment after this one and returns it.</summary>
    public ChainedSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new ChainedSegment(memory, RunningIndex + Memory.Length);
        Next = next;
        return next;
    }
}
