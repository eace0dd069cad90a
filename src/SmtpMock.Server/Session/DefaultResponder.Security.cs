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

    /// <summary>STARTTLS is implemented for this session: enabled, a transport that can upgrade, and advertised.</summary>
    private bool TlsAvailable(SessionContext session) => _options.TlsEnabled && session.CanStartTls && (!_customExtensions || Advertises("STARTTLS")) && session.Limits?.NoStartTls != true;

    /// <summary>AUTH is implemented by this server (HELP lists it); a session's EHLO name may still take it away.</summary>
    private bool AuthOffered => _options.AuthOffered && (!_customExtensions || Advertises("AUTH"));

    private bool AuthAvailable(SessionContext session) => AuthOffered && session.Limits?.NoAuth != true;

    /// <summary>The mechanisms this session may use now: PLAIN, LOGIN and XOAUTH2 only over TLS unless allowed in clear.</summary>
    private IEnumerable<SaslMechanism> Mechanisms(SessionContext session) =>
        session.IsSecure || _options.AllowPlaintextAuth ? SaslMechanisms.All : SaslMechanisms.All.Where(m => !m.SendsSecretInClear());

    /// <summary>
    /// The EHLO lines after the greeting line for each (STARTTLS possible, secure) pair, made once per responder:
    /// they depend on nothing else, and every session's EHLO built them again (garbage per connection).
    /// </summary>
    private readonly string[]?[] _ehloExtensions = new string[]?[4];

    /// <summary>
    /// The EHLO lines after the greeting line: the extensions, plus STARTTLS until TLS is on and AUTH where it may
    /// be used. A scenario's own list is taken as written, but STARTTLS leaves it once TLS is on.
    /// </summary>
    private string[] EhloExtensions(SessionContext session)
    {
        var key = (session.CanStartTls ? 1 : 0) | (session.IsSecure ? 2 : 0);
        return _ehloExtensions[key] ??= [.. BuildEhloExtensions(session)];
    }

    private IEnumerable<string> BuildEhloExtensions(SessionContext session)
    {
        if (_customExtensions)
        {
            return Extensions.Where(e => !(session.IsSecure && e.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase)));
        }

        var lines = new List<string>(Extensions);
        if (TlsAvailable(session) && !session.IsSecure)
        {
            lines.Add("STARTTLS");
        }

        if (AuthAvailable(session) && (session.IsSecure || !_options.RequireTls))
        {
            lines.Add(SaslMechanisms.EhloKeyword(Mechanisms(session)));
        }

        return lines;
    }

    /// <summary>530 5.7.0 for MAIL, RCPT, DATA, BDAT and AUTH before TLS when TLS is required; null otherwise.</summary>
    private SmtpReply? TlsRequiredFirst(SessionContext session, SmtpVerb verb) =>
        _options.RequireTls && TlsAvailable(session) && !session.IsSecure && NeedTls.Contains(verb) ? SecurityReplies.MustStartTls : null;

    /// <summary>530 5.7.0 for MAIL before AUTH when AUTH is required; null otherwise.</summary>
    private SmtpReply? AuthRequiredFirst(SessionContext session) =>
        _options.AuthRequired && AuthAvailable(session) && session.AuthenticatedUser is null ? SecurityReplies.AuthRequired : null;

    private Outcome StartTls(SessionContext session)
    {
        if (session.IsSecure)
        {
            return Outcome.Refuse(SecurityReplies.AlreadyUsingTls);
        }

        return TlsAvailable(session)
            ? new Outcome(SecurityReplies.ReadyToStartTls, SessionEffect.StartTls)
            : Outcome.Refuse(StandardReplies.NotImplemented);
    }

    /// <summary>The checks before a SASL exchange starts (RFC 4954 §4); the session runs the exchange itself.</summary>
    private Outcome Auth(SessionContext session, SmtpCommand command)
    {
        if (!AuthAvailable(session))
        {
            return Outcome.Refuse(StandardReplies.NotImplemented);
        }

        if (session.AuthenticatedUser is not null)
        {
            return Outcome.Refuse(SecurityReplies.AlreadyAuthenticated);
        }

        var name = command.Argument.Split(' ', 2)[0];
        if (SaslMechanisms.TryParse(name, out var mechanism) && !Mechanisms(session).Contains(mechanism))
        {
            return Outcome.Refuse(SecurityReplies.EncryptionRequired);
        }

        // The reply is the exchange's first step, which the session puts in place of this one.
        return new Outcome(SecurityReplies.AuthSucceeded, SessionEffect.BeginAuth);
    }
}
