using System.Buffers;
using System.Text;

namespace SmtpMock.Protocol.Replies;

/// <summary>The only code that formats <c>250-</c>/<c>250 </c> lines onto the wire.</summary>
public static class ReplyWriter
{
    public static void Write(IBufferWriter<byte> output, SmtpReply reply)
    {
        for (var i = 0; i < reply.Lines.Count; i++)
        {
            var text = reply.Lines[i];
            var size = SmtpReply.LineOctets(reply.Enhanced, text);
            var span = output.GetSpan(size);
            var n = 0;
            span[n++] = (byte)('0' + (reply.Code / 100));
            span[n++] = (byte)('0' + (reply.Code / 10 % 10));
            span[n++] = (byte)('0' + (reply.Code % 10));
            span[n++] = i == reply.Lines.Count - 1 ? (byte)' ' : (byte)'-';
            if (reply.Enhanced is not null)
            {
                n += Encoding.ASCII.GetBytes(reply.Enhanced, span[n..]);
                span[n++] = (byte)' ';
            }

            n += Encoding.UTF8.GetBytes(text, span[n..]);
            span[n++] = (byte)'\r';
            span[n++] = (byte)'\n';
            output.Advance(n);
        }
    }

    /// <summary>Raw bytes, sent as they are: only for an explicit, deliberate malformed reply.</summary>
    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);
}
