using System.Buffers;

namespace SmtpMock.Protocol.Replies;

/// <summary>The only code that puts replies on the wire: a reply's lines are formatted once, by <see cref="SmtpReply.WireLines"/>.</summary>
public static class ReplyWriter
{
    public static void Write(IBufferWriter<byte> output, SmtpReply reply) => output.Write(reply.WireBytes.Span);

    /// <summary>Raw bytes, sent as they are: only for an explicit, deliberate malformed reply.</summary>
    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);
}
