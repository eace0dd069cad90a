using System.Buffers;
using System.Text;

namespace SmtpMock.Protocol.Replies;

/// <summary>
/// The only code that formats replies (<c>250-</c> on every line but the last, <c>250 </c> on the last, the enhanced
/// code on each) and puts them on the wire. A reply's wire form is made here once and kept by the reply.
/// </summary>
internal static class ReplyWriter
{
    public static void Write(IBufferWriter<byte> output, SmtpReply reply) => output.Write(reply.WireBytes.Span);

    /// <summary>Raw bytes, sent as they are: only for an explicit, deliberate malformed reply.</summary>
    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    /// <summary>The reply's lines as they go on the wire, without CRLF.</summary>
    internal static string[] FormatLines(SmtpReply reply)
    {
        var lines = new string[reply.Lines.Count];
        var prefix = reply.Enhanced is null ? string.Empty : reply.Enhanced + " ";
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = $"{reply.Code}{(i == lines.Length - 1 ? ' ' : '-')}{prefix}{reply.Lines[i]}";
        }

        return lines;
    }

    /// <summary>The reply's bytes on the wire, CRLF after every line.</summary>
    internal static byte[] FormatBytes(IReadOnlyList<string> wireLines)
    {
        var length = 0;
        for (var i = 0; i < wireLines.Count; i++)
        {
            length += Encoding.UTF8.GetByteCount(wireLines[i]) + 2;
        }

        var bytes = new byte[length];
        var at = 0;
        for (var i = 0; i < wireLines.Count; i++)
        {
            at += Encoding.UTF8.GetBytes(wireLines[i], bytes.AsSpan(at));
            bytes[at++] = (byte)'\r';
            bytes[at++] = (byte)'\n';
        }

        return bytes;
    }
}
