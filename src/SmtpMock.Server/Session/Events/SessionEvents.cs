using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Session.Events;

// What happened in a session, as values with fields: the transcript, the metrics, the events stream, the sessions API
// and the retries view all learn from these, and none of them parses a transcript line back. Structs passed by `in`:
// a session raises several per command, and an observer that keeps one copies what it needs.

/// <summary>A connection became a session (before its greeting).</summary>
internal readonly record struct SessionStarted(SessionContext Session, DateTimeOffset At);

/// <summary>A line the client sent: a command (its <see cref="Verb"/>), or an answer to a 334 (<see cref="AuthResponse"/>).</summary>
/// <remarks><c>Shown</c>: The line as the transcript shows it, secrets masked.</remarks>
internal readonly record struct CommandReceived(SessionContext Session, DateTimeOffset At, SmtpVerb Verb, string Shown, bool AuthResponse);

/// <summary>A scenario rule (or a failure address) fired at a point, and what it answered.</summary>
/// <remarks><c>Line</c>: The rule's line in its file, or 0 (a failure address, a rule built in code).<br/>
/// <c>Reply</c>: The reply that goes out (the rule's or, when it only delays or closes, the server's); null when the connection closes with no reply.<br/>
/// <c>Raw</c>: The rule sends raw bytes instead of <paramref name="Reply"/>.</remarks>
internal readonly record struct RuleFired(SessionContext Session, DateTimeOffset At, string Rule, int Line, ScenarioPoint Point, SmtpReply? Reply, bool Raw);

/// <summary>A reply went out (or raw bytes in its place), with the rule that wrote it and where the session was.</summary>
/// <remarks><c>Raw</c>: A rule's raw bytes, shown with CR and LF escaped, in place of <see cref="Reply"/>.</remarks>
internal readonly record struct ReplySent(SessionContext Session, DateTimeOffset At, SmtpReply Reply, ScenarioPoint Point, string? Rule, string? Raw);

/// <summary>A RCPT was answered: accepted, or refused with its reply and the rule that refused it.</summary>
internal readonly record struct RecipientAnswered(SessionContext Session, DateTimeOffset At, string Sender, string Recipient, SmtpReply Reply, string? Rule)
{
    public bool Accepted => Reply.IsPositiveCompletion;
}

/// <summary>A message ended (after the final dot, or the LAST BDAT chunk): kept with its id, or refused with its reply and rule.</summary>
/// <remarks><c>Message</c>: The stored message, or null when it was refused.<br/>
/// <c>After</c>: What the rule that answered asks to be sent back about the message later (<c>after:</c>), or null.</remarks>
internal readonly record struct MessageAnswered(SessionContext Session, DateTimeOffset At, string Sender, IReadOnlyList<string> Recipients, SmtpReply Reply, string? Rule, CapturedMessage? Message, Aftermath.AftermathPlan? After = null)
{
    public bool Accepted => Message is not null;
}

/// <summary>TLS started (STARTTLS, or on connect on the implicit TLS port).</summary>
internal readonly record struct TlsStarted(SessionContext Session, DateTimeOffset At, TlsHandshake Handshake);

/// <summary>An AUTH exchange ended: the user logged in, or not (never the password).</summary>
internal readonly record struct AuthenticationEnded(SessionContext Session, DateTimeOffset At, string? User, string? Mechanism, bool Succeeded, SmtpReply Reply);

/// <summary>Something the server noted for people: a DATA summary, a rule that fired, a timeout.</summary>
internal readonly record struct NoteAdded(SessionContext Session, DateTimeOffset At, string Text);

/// <summary>The session is over: closed, counted and no longer open.</summary>
internal readonly record struct SessionEnded(SessionContext Session, DateTimeOffset At);
