using System.Globalization;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// Extensions one session's EHLO name took away (<c>nopipelining.nostarttls.noauth.nochunking.no8bitmime.size1000.smtpmock.test</c>):
/// they leave the EHLO reply and are refused as the RFCs say when used anyway (STARTTLS, AUTH and BDAT get 502, BODY=
/// and AUTH= parameters 555, a SIZE= over the limit and a longer message 552). PIPELINING has no command to refuse:
/// it only leaves the list.
/// </summary>
internal sealed record ExtensionLimits(bool NoPipelining, bool NoStartTls, bool NoAuth, bool NoChunking, bool No8BitMime, long? Size)
{
    /// <summary>The EHLO reply without what was taken away, and with SIZE set to the limit.</summary>
    public SmtpReply Filter(SmtpReply reply)
    {
        var lines = new List<string>(reply.Lines.Count) { reply.Lines[0] };
        foreach (var line in reply.Lines.Skip(1))
        {
            var keyword = line.Split(' ', 2)[0].ToUpperInvariant();
            var removed = keyword switch
            {
                "PIPELINING" => NoPipelining,
                "STARTTLS" => NoStartTls,
                "AUTH" => NoAuth,
                "CHUNKING" => NoChunking,
                "8BITMIME" => No8BitMime,
                "SIZE" => Size is not null,
                _ => false,
            };
            if (!removed)
            {
                lines.Add(line);
            }
        }

        if (Size is { } size)
        {
            lines.Add("SIZE " + size.ToString(CultureInfo.InvariantCulture));
        }

        return new SmtpReply(reply.Code, reply.Enhanced, lines);
    }
}
