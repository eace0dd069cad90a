using System.Buffers;

namespace SmtpMock.Server.Capture;

/// <summary>
/// Where one message's content goes while it arrives, in the store's own way (pooled memory, a spool file on the
/// store's disk). A session keeps one and reuses it for each of its messages.
/// </summary>
public interface IMessageWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>Octets written so far.</summary>
    long Length { get; }

    /// <summary>The content could not be kept as it came (a spool disk that is full): the message will be refused.</summary>
    bool Failed { get; }

    /// <summary>Forgets what was written (a message that ended without being kept).</summary>
    void Clear();
}
