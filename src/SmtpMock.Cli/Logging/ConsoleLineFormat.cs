using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SmtpMock.Cli.Logging;

/// <summary>
/// One log line as UTF-8, in the format of Microsoft's simple console logger with <c>SingleLine</c> and the
/// timestamp <c>HH:mm:ss.fff </c>: <c>20:06:54.607 info: SmtpMock.Session[6] [1] message ...</c>. Line breaks in
/// the message or the exception become spaces, so one event is always one line for grep and for scripts.
/// </summary>
internal static class ConsoleLineFormat
{
    private static readonly byte[] Reset = "\u001b[39m\u001b[22m\u001b[49m"u8.ToArray();

    public static void Write(
        IBufferWriter<byte> output, DateTime time, LogLevel level, bool colors, ReadOnlySpan<byte> category, int eventId, string message, Exception? exception)
    {
        var span = output.GetSpan(64);
        time.TryFormat(span, out var written, "HH:mm:ss.fff ");
        output.Advance(written);
        if (colors)
        {
            output.Write(Color(level));
        }

        output.Write(Name(level));
        if (colors)
        {
            output.Write(Reset);
        }

        output.Write(": "u8);
        output.Write(category);
        output.Write("["u8);
        span = output.GetSpan(11);
        eventId.TryFormat(span, out written, provider: System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
        output.Write("] "u8);
        WriteOneLine(output, message);
        if (exception is not null)
        {
            output.Write(" "u8);
            WriteOneLine(output, exception.ToString());
        }

        output.Write("\n"u8);
    }

    private static void WriteOneLine(IBufferWriter<byte> output, string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny('\r', '\n');
            var piece = end < 0 ? rest : rest[..end];
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(piece.Length));
            output.Advance(Encoding.UTF8.GetBytes(piece, span));
            if (end < 0)
            {
                return;
            }

            // "\r\n", "\n" or "\r": one space for the whole break.
            output.Write(" "u8);
            rest = rest[(rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? end + 2 : end + 1)..];
        }
    }

    private static ReadOnlySpan<byte> Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce"u8,
        LogLevel.Debug => "dbug"u8,
        LogLevel.Information => "info"u8,
        LogLevel.Warning => "warn"u8,
        LogLevel.Error => "fail"u8,
        _ => "crit"u8,
    };

    // The simple console logger's colours: green info, yellow warnings, red failures.
    private static ReadOnlySpan<byte> Color(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "\u001b[37m\u001b[40m"u8,
        LogLevel.Information => "\u001b[32m\u001b[40m"u8,
        LogLevel.Warning => "\u001b[1m\u001b[33m\u001b[40m"u8,
        LogLevel.Error => "\u001b[30m\u001b[41m"u8,
        _ => "\u001b[1m\u001b[37m\u001b[41m"u8,
    };
}
