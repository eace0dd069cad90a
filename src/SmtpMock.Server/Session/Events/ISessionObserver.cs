namespace SmtpMock.Server.Session.Events;

/// <summary>
/// Told what happens in sessions, on the session's own task: keep each method short, never block in it, and copy what
/// must outlive the call. Every method has an empty default, so an observer implements only what it watches.
/// </summary>
internal interface ISessionObserver
{
    void OnSessionStarted(in SessionStarted e)
    {
    }

    void OnCommandReceived(in CommandReceived e)
    {
    }

    void OnRuleFired(in RuleFired e)
    {
    }

    void OnReplySent(in ReplySent e)
    {
    }

    void OnRecipientAnswered(in RecipientAnswered e)
    {
    }

    void OnMessageAnswered(in MessageAnswered e)
    {
    }

    void OnTlsStarted(in TlsStarted e)
    {
    }

    void OnAuthenticationEnded(in AuthenticationEnded e)
    {
    }

    void OnNoteAdded(in NoteAdded e)
    {
    }

    void OnSessionEnded(in SessionEnded e)
    {
    }
}
