using MimeKit;

namespace SmtpMock.Server.Aftermath;

/// <summary>
/// The content of a <c>message/delivery-status</c> or <c>message/feedback-report</c> part: groups of fields, one empty
/// line between two groups (RFC 3464 §2.1), none after the last. MimeKit ends every header list it writes with an empty
/// line, the last group's too, and reading that back gives an extra, empty group; so that line is taken off here.
/// </summary>
internal static class FieldGroups
{
    public static MimeContent Content(IReadOnlyList<HeaderList> groups)
    {
        var content = new MemoryStream();
        for (var i = 0; i < groups.Count; i++)
        {
            if (i > 0)
            {
                content.Write("\r\n"u8);
            }

            groups[i].WriteTo(WireFormat.Options, content);
            if (content.Length >= 4 && content.GetBuffer().AsSpan((int)content.Length - 4, 4).SequenceEqual("\r\n\r\n"u8))
            {
                content.SetLength(content.Length - 2);
            }
        }

        content.Position = 0;
        return new MimeContent(content);
    }
}
