using System.Collections;

namespace SmtpMock.Server.Session;

/// <summary>
/// A transcript's first <c>count</c> lines (and the note on the lines left out past its cap), each built when read: a
/// finished session's record, or an open session's snapshot, without copying the session's lines.
/// </summary>
internal sealed class TranscriptView(Transcript transcript, int count, long dropped) : IReadOnlyList<TranscriptLine>
{
    public int Count => count + (dropped > 0 ? 1 : 0);

    public TranscriptLine this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return transcript.LineAt(index, dropped);
        }
    }

    public IEnumerator<TranscriptLine> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return transcript.LineAt(i, dropped);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
