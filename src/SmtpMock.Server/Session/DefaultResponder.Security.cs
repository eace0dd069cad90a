using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>STARTTLS (RFC 3207) and AUTH (RFC 4954): what is offered, when, and the checks before either starts.</summary>
internal sealed partial class DefaultResponder
{
    /// <summary>Who may log in: the server's users, or the active scenario's <c>auth:</c> section.</summary>
    public CredentialStore Credentials => _options.Credentials;

    /// <summary>Commands refused before TLS under <see cref="SessionOptions.RequireTls"/> (RFC 3207 §4).</summary>
    private static readonly HashSet<SmtpVerb> NeedTls = [SmtpVerb.Mail, SmtpVerb.Rcpt, SmtpVerb.Data, SmtpVerb.Bdat, SmtpVerb.Auth];

    /// <summary>530 5.7.0 for MAIL, RCPT, DATA, BDAT and AUTH before TLS when TLS is required; null otherwise.</summary>
    private SmtpReply? TlsRequiredFirst(SessionContext session, SmtpVerb verb) =>
        _options.RequireTls && Offer.TlsAvailable(session) && !session.IsSecure && NeedTls.Contains(verb) ? SecurityReplies.MustStartTls : null;

    /// <summary>530 5.7.0 for MAIL before AUTH when AUTH is required; null otherwise.</summary>
    private SmtpReply? AuthRequiredFirst(SessionContext session) =>
        _options.AuthRequired && Offer.AuthAvailable(session) && session.AuthenticatedUser is null ? SecurityReplies.AuthRequired : null;

    private Outcome StartTls(SessionContext session)
    {
        if (session.IsSecure)
        {
            return Outcome.Refuse(SecurityReplies.AlreadyUsingTls);
        }

        return Offer.TlsAvailable(session)
            ? new Outcome(SecurityReplies.ReadyToStartTls, SessionEffect.StartTls)
            : Outcome.Refuse(StandardReplies.NotImplemented);
    }

    /// <summary>The checks before a SASL exchange starts (RFC 4954 §4); the session runs the exchange itself.</summary>
    private Outcome Auth(SessionContext session, SmtpCommand command)
    {
        if (!Offer.AuthAvailable(session))
        {
            return Outcome.Refuse(StandardReplies.NotImplemented);
        }

        if (session.AuthenticatedUser is not null)
        {
            return Outcome.Refuse(SecurityReplies.AlreadyAuthenticated);
        }

        // The mechanism as the exchange will read it (any run of spaces between words): read otherwise, "AUTH  PLAIN"
        // named no mechanism here, skipped this check, and then logged in with PLAIN in clear.
        var name = command.Argument.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : string.Empty;
        if (SaslMechanisms.TryParse(name, out var mechanism) && !Offer.Mechanisms(session).Contains(mechanism))
        {
            return Outcome.Refuse(SecurityReplies.EncryptionRequired);
        }

        // The reply is the exchange's first step, which the session puts in place of this one.
        return new Outcome(SecurityReplies.AuthSucceeded, SessionEffect.BeginAuth);
    }
}
