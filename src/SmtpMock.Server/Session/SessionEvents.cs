using Microsoft.Extensions.Logging;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Security;
using SmtpMock.Server.Session.Events;

namespace SmtpMock.Server.Session;

/// <summary>
/// How one session tells what happens: each event to its own transcript first, then to the server's observers (taken
/// once, at the session's start). The one place a session stamps events with the time.
/// </summary>
internal sealed class SessionEvents(SessionContext session, ISessionObserver[] observers, TimeProvider clock, ILogger logger)
{
    private readonly ISessionObserver _transcript = session.Transcript;

    /// <summary>Where the session's own warnings go (a store that failed); the lines themselves go through observers.</summary>
    public ILogger Logger => logger;

    public void Started()
    {
        var e = new SessionStarted(session, clock.GetUtcNow());
        _transcript.OnSessionStarted(in e);
        foreach (var observer in observers)
        {
            observer.OnSessionStarted(in e);
        }
    }

    public void Command(SmtpVerb verb, string shown, bool authResponse)
    {
        var e = new CommandReceived(session, clock.GetUtcNow(), verb, shown, authResponse);
        _transcript.OnCommandReceived(in e);
        foreach (var observer in observers)
        {
            observer.OnCommandReceived(in e);
        }
    }

    public void Rule(Intervention rule, ScenarioPoint point, SmtpReply? reply)
    {
        var e = new RuleFired(session, clock.GetUtcNow(), rule.Rule, rule.Line, point, reply, rule.Raw is not null);
        foreach (var observer in observers)
        {
            observer.OnRuleFired(in e);
        }
    }

    public void Reply(SmtpReply reply, ScenarioPoint point, string? rule, string? raw)
    {
        var e = new ReplySent(session, clock.GetUtcNow(), reply, point, rule, raw);
        _transcript.OnReplySent(in e);
        foreach (var observer in observers)
        {
            observer.OnReplySent(in e);
        }
    }

    public void Recipient(string sender, string recipient, SmtpReply reply, string? rule)
    {
        var e = new RecipientAnswered(session, clock.GetUtcNow(), sender, recipient, reply, rule);
        session.Attempts.Recipient(in e);
        foreach (var observer in observers)
        {
            observer.OnRecipientAnswered(in e);
        }
    }

    public void Message(string sender, IReadOnlyList<string> recipients, SmtpReply reply, Intervention? rule, CapturedMessage? message)
    {
        var e = new MessageAnswered(session, clock.GetUtcNow(), sender, recipients, reply, rule?.Rule, message, rule?.After);
        session.Attempts.Message(in e);
        foreach (var observer in observers)
        {
            observer.OnMessageAnswered(in e);
        }
    }

    public void Tls(TlsHandshake handshake)
    {
        var e = new TlsStarted(session, clock.GetUtcNow(), handshake);
        foreach (var observer in observers)
        {
            observer.OnTlsStarted(in e);
        }
    }

    public void Authentication(string? user, string? mechanism, bool succeeded, SmtpReply reply)
    {
        var e = new AuthenticationEnded(session, clock.GetUtcNow(), user, mechanism, succeeded, reply);
        foreach (var observer in observers)
        {
            observer.OnAuthenticationEnded(in e);
        }
    }

    public void Note(string text)
    {
        var e = new NoteAdded(session, clock.GetUtcNow(), text);
        _transcript.OnNoteAdded(in e);
        foreach (var observer in observers)
        {
            observer.OnNoteAdded(in e);
        }
    }

    /// <summary>Raised by the host once the session has ended everywhere: closed, not open, not counted active.</summary>
    public void Ended()
    {
        var e = new SessionEnded(session, clock.GetUtcNow());
        foreach (var observer in observers)
        {
            observer.OnSessionEnded(in e);
        }
    }
}
