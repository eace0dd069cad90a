using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>The 503 for a command the state table refuses, worded for where the session stands.</summary>
internal sealed partial class DefaultResponder
{
    private static SmtpReply OutOfSequence(SessionContext session, SmtpVerb verb) => (session.State, verb) switch
    {
        (SessionState.Refused, _) => StandardReplies.NoService,
        (SessionState.Connected, _) => StandardReplies.HeloFirst,
        (SessionState.HaveSender or SessionState.HaveRecipients or SessionState.Chunking, SmtpVerb.Auth) => SecurityReplies.AuthInTransaction,
        (_, SmtpVerb.Mail) => StandardReplies.NestedMail,
        (SessionState.Ready, SmtpVerb.Rcpt) => StandardReplies.MailFirst,
        (SessionState.Chunking, SmtpVerb.Data) => StandardReplies.DataAfterBdat,
        (SessionState.HaveSender, SmtpVerb.Data or SmtpVerb.Bdat) when session.RejectedRecipients > 0 => StandardReplies.NoValidRecipients,
        (SessionState.Ready, SmtpVerb.Data or SmtpVerb.Bdat) => StandardReplies.MailFirstForData,
        (SessionState.HaveSender, SmtpVerb.Data or SmtpVerb.Bdat) => StandardReplies.RcptFirst,
        _ => StandardReplies.BadSequence,
    };
}
