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
        var verbs = SmtpVerbs.Known.Where(Answers).Select(v => v.Keyword());
        return StandardReplies.Help(ServerVersion.Text, verbs.Chunk(7).Select(chunk => string.Join(' ', chunk)));

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
