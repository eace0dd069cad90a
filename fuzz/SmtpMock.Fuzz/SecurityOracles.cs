using SmtpMock.Protocol.Auth;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Session;

namespace SmtpMock.Fuzz;

/// <summary>
/// The login and TLS oracles of the session target, read from what any store or transcript keeps (captured messages,
/// transcript lines) rather than from the session's internals:
/// a message is marked TLS exactly when it came after the upgrade; with TLS required and offered every message came
/// over TLS (a session that cannot upgrade is not held to it: the server only requires what it can offer);
/// with a login required every message has its user; with users only, nobody else logged in; PLAIN, LOGIN and XOAUTH2
/// never succeed in clear when they are not offered there; an AUTH command line is kept only with its secret
/// masked, and every line answering a 334 is kept as **** (or the cancel *).
/// </summary>
internal static class SecurityOracles
{
    private static readonly HashSet<string> ClearMechanisms = new(StringComparer.OrdinalIgnoreCase) { "PLAIN", "LOGIN", "XOAUTH2" };

    public static void Check(SessionMode mode, SessionContext context, MemoryMessageStore store, HashSet<string>? capturedBefore)
    {
        foreach (var message in store.Messages)
        {
            CheckMessage(mode, message, capturedBefore);
        }

        CheckTranscript(mode, context.Transcript.Lines);
    }

    private static void CheckMessage(SessionMode mode, CapturedMessage message, HashSet<string>? capturedBefore)
    {
        var afterUpgrade = capturedBefore is not null && !capturedBefore.Contains(message.Id);
        if (message.IsSecure != afterUpgrade || (message.IsSecure && message.Tls != FuzzTls.Handshake.ToString()))
        {
            throw new OracleViolation($"message {message.Id} marked '{message.Tls}' but it came {(afterUpgrade ? "after" : "before")} the upgrade");
        }

        if (mode.Strict && mode.OffersTls && !message.IsSecure)
        {
            throw new OracleViolation($"message {message.Id} captured in clear although TLS is required");
        }

        if (mode.AuthRequired && message.AuthenticatedUser is null)
        {
            throw new OracleViolation($"message {message.Id} captured without a login although one is required");
        }

        if (mode.UsersOnly && message.AuthenticatedUser is { } user && user != SessionMode.User)
        {
            throw new OracleViolation($"message {message.Id} sent as '{user}', who is not a configured user");
        }

        if (mode.Strict && !message.IsSecure && message.AuthMechanism is { } mechanism && ClearMechanisms.Contains(mechanism))
        {
            throw new OracleViolation($"message {message.Id} sent after {mechanism} in clear, which is not offered there");
        }
    }

    private static void CheckTranscript(SessionMode mode, IReadOnlyList<TranscriptLine> lines)
    {
        var answering334 = false;
        foreach (var line in lines)
        {
            switch (line.Direction)
            {
                case TranscriptDirection.Out:
                    answering334 = line.Text.StartsWith("334", StringComparison.Ordinal);
                    break;
                case TranscriptDirection.In when answering334:
                    if (line.Text is not (AuthRedaction.Mask or "*"))
                    {
                        throw new OracleViolation($"a line answering a 334 kept as '{line.Text}', not masked");
                    }

                    break;
                case TranscriptDirection.In when AuthRedaction.IsAuthLine(line.Text) && AuthRedaction.Command(line.Text) != line.Text:
                    throw new OracleViolation($"an AUTH line kept as '{line.Text}', its secret not masked");
                case TranscriptDirection.Note when mode.UsersOnly && line.Text.StartsWith("authenticated as '", StringComparison.Ordinal)
                    && !line.Text.StartsWith($"authenticated as '{SessionMode.User}'", StringComparison.Ordinal):
                    throw new OracleViolation($"'{line.Text}' although only '{SessionMode.User}' is configured");
            }
        }
    }
}
