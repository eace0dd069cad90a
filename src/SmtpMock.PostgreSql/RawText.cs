using System.Text;

namespace SmtpMock.PostgreSql;

/// <summary>
/// The <c>raw_text</c> column: what <see cref="SmtpMock.Server.Capture.QueryField.Raw"/> searches when PostgreSQL
/// cannot decode the content itself. Content that is valid UTF-8 without NUL is decoded by <c>convert_from</c> in the
/// query (exactly what .NET decodes), so it keeps NULL; other content keeps its text as the memory store decodes it
/// (U+FFFD for each bad sequence), NUL removed, since convert_from would raise an error on it.
/// </summary>
internal static class RawText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The column's value for content in memory.</summary>
    public static string? Of(ReadOnlySpan<byte> content) =>
        System.Text.Unicode.Utf8.IsValid(content) && !content.Contains((byte)0) ? null : EnvelopeJson.Clean(Encoding.UTF8.GetString(content));

    /// <summary>The column's value for content spooled to a file, read in pieces (and wholly only when it must be kept).</summary>
    public static string? OfFile(string file)
    {
        var decoder = Strict.GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[Strict.GetMaxCharCount(bytes.Length)];
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            try
            {
                int read;
                while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
                {
                    if (bytes.AsSpan(0, read).Contains((byte)0))
                    {
                        return Of(File.ReadAllBytes(file));
                    }

                    decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                }

                decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
                return null;
            }
            catch (DecoderFallbackException)
            {
                // Invalid UTF-8: fall through to read it whole.
            }
        }

        return Of(File.ReadAllBytes(file));
    }
}
