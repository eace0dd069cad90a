using MimeKit;

namespace SmtpMock.Server.Aftermath;

/// <summary>How generated messages are written: with SMTP's CRLF, whatever the platform's line ending.</summary>
internal static class WireFormat
{
    public static FormatOptions Options { get; } = Create();

    private static FormatOptions Create()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }
}
