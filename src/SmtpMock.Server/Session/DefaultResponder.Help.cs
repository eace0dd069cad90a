using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>The HELP reply, made once per responder from the verbs it answers.</summary>
internal sealed partial class DefaultResponder
{
    /// <summary>
    /// HELP lists the verbs this server answers, seven to a line, from the one verb list: not EXPN (always 502), not
    /// BDAT when a scenario's EHLO list leaves out CHUNKING, STARTTLS and AUTH only when they are on.
    /// </summary>
    private SmtpReply Help()
    {
        var verbs = SmtpVerbs.Known.Where(Answers).Select(v => v.Keyword()).ToList();
        var lines = new List<string> { $"SmtpMock {ServerVersion.Text}, commands:" };
        lines.AddRange(verbs.Chunk(7).Select(chunk => string.Join(' ', chunk)));
        lines.Add("See RFC 5321");
        return new SmtpReply(214, "2.0.0", lines);

        bool Answers(SmtpVerb verb) => verb switch
        {
            SmtpVerb.Expn => false,
            SmtpVerb.Bdat => HasChunking,
            SmtpVerb.StartTls => _options.TlsEnabled && (!_customExtensions || Advertises("STARTTLS")),
            SmtpVerb.Auth => AuthOffered,
            _ => true,
        };
    }
}
