using System.Runtime.InteropServices;
using MimeKit;

namespace SmtpMock.Server.Capture;

/// <summary>
/// A captured message's Subject for a log line, without parsing the message: the header block is scanned for the
/// Subject line (with its folded continuation lines) and MimeKit parses and decodes that one header. A message
/// spooled to disk is read through MimeKit's header parser instead.
/// </summary>
internal static class SubjectReader
{
    public static string? Read(CapturedMessage message)
    {
        if (message.ContentFile is not null || !MemoryMarshal.TryGetArray(message.Raw, out var raw) || raw.Array is null)
        {
            using var content = message.OpenContent();
            return HeaderList.Load(content)[HeaderId.Subject];
        }

        return Find(raw.Array, raw.Offset, raw.Count);
    }

    /// <summary>The decoded value of the first Subject header in the header block of <paramref name="bytes"/>, or null.</summary>
    internal static string? Find(byte[] bytes, int offset, int count)
    {
        var end = offset + count;
        var line = offset;
        while (line < end)
        {
            var next = NextLine(bytes, line, end);
            if (next - line <= 2 && IsBlank(bytes, line, next))
            {
                return null; // the blank line that ends the headers
            }

            if (StartsWithSubject(bytes, line, end))
            {
                // Folded continuation lines start with a space or a tab.
                var stop = next;
                while (stop < end && bytes[stop] is (byte)' ' or (byte)'\t')
                {
                    stop = NextLine(bytes, stop, end);
                }

                return Header.TryParse(bytes, line, stop - line, out var header) ? header.Value.Trim() : null;
            }

            line = next;
        }

        return null;
    }

    private static int NextLine(byte[] bytes, int start, int end)
    {
        var lf = Array.IndexOf(bytes, (byte)'\n', start, end - start);
        return lf < 0 ? end : lf + 1;
    }

    private static bool IsBlank(byte[] bytes, int start, int next) =>
        next - start == 1 ? bytes[start] == '\n' : bytes[start] == '\r' && bytes[start + 1] == '\n';

    private static bool StartsWithSubject(byte[] bytes, int start, int end) =>
        end - start >= 8 && System.Text.Ascii.EqualsIgnoreCase(bytes.AsSpan(start, 8), "Subject:"u8);
}
